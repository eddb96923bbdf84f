import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  channelStats,
  cifarResnet,
  imageTensors,
  mlp,
  pruningCurve,
  readImageFolder,
  type ImageDataset,
  type PrunePoint,
} from '@spred/vision';
import type { BenchSuite, CaseResult, SuiteOutcome } from '../harness/suite.js';

const FASHION = fileURLToPath(
  new URL('../../../../../shared/data/fashion-mnist/', import.meta.url),
);

/** Fashion-MNIST-shaped images where class k lights its own band: the stand-in when the real set is absent. */
function bandImages(n: number): ImageDataset {
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const images = new Uint8Array(n * 784);
  labels.forEach((c, i) => images.fill(255, i * 784 + c * 78, i * 784 + c * 78 + 78));
  return { images, labels, count: n, height: 28, width: 28, channels: 1 };
}

/** One network of the suite, with the budget it gets. */
interface PruneTask {
  readonly model: string;
  readonly build: () => ReturnType<typeof mlp>;
  readonly kappa: number;
  readonly epochs: number;
  readonly finetuneEpochs: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

function tasks(quick: boolean): PruneTask[] {
  if (quick)
    return [
      {
        model: 'mlp 784-64-10',
        build: () => mlp({ inputShape: [28, 28, 1], hidden: [64], classes: 10, seed: 0 }),
        kappa: 1e-3,
        epochs: 2,
        finetuneEpochs: 1,
        trainSamples: 600,
        testSamples: 300,
        batchSize: 64,
        learningRate: 3e-3,
      },
    ];
  return [
    {
      model: 'resnet8',
      build: () => cifarResnet(8, { inputShape: [28, 28, 1], classes: 10, seed: 0 }),
      kappa: 1e-3,
      epochs: 4,
      finetuneEpochs: 1,
      trainSamples: 2500,
      testSamples: 1000,
      batchSize: 64,
      learningRate: 3e-3,
    },
    {
      model: 'lenet-300-100',
      build: () => mlp({ inputShape: [28, 28, 1], hidden: [300, 100], classes: 10, seed: 0 }),
      kappa: 3e-3,
      epochs: 10,
      finetuneEpochs: 3,
      trainSamples: 20000,
      testSamples: 5000,
      batchSize: 128,
      learningRate: 1e-3,
    },
  ];
}

/**
 * Suite `prune`: the pruning protocol at CPU scale on Fashion-MNIST (`../shared/data`): spred on
 * every kernel, pruned to 10×, 100× and 1000× compression and finetuned, against magnitude pruning
 * of the same network trained normally, random pruning, SNIP and lottery tickets, all from one
 * initialization on one budget — on a ResNet-8 (4 + 1 epochs of 2,500 images: short for spred) and
 * on LeNet-300-100 (10 + 3 epochs of 20,000). Quick: a small MLP on a small subset.
 */
export const pruneSuite: BenchSuite = {
  name: 'prune',
  description:
    'accuracy vs compression: spred vs magnitude, random, SNIP and lottery tickets (ResNet-8 and LeNet-300-100, Fashion-MNIST)',
  async run(context): Promise<SuiteOutcome> {
    const real = existsSync(FASHION);
    const trainSet = real ? readImageFolder('fashion-mnist', FASHION, 'train') : bandImages(20000);
    const testSet = real ? readImageFolder('fashion-mnist', FASHION, 'test') : bandImages(5000);
    const compressions = [10, 100, 1000];
    const cases: CaseResult[] = [];
    const targets: { name: string; met: boolean; detail: string }[] = [];
    for (const task of tasks(context.quick)) {
      const stats = channelStats(trainSet, task.trainSamples);
      const train = imageTensors(trainSet, { classes: 10, count: task.trainSamples, stats });
      const test = imageTensors(testSet, { classes: 10, count: task.testSamples, stats });
      context.log(
        `prune: ${task.model} on ${real ? 'Fashion-MNIST' : 'synthetic bands'}, ${task.trainSamples} training / ${task.testSamples} test images`,
      );
      let result;
      try {
        result = await pruningCurve({
          build: task.build,
          train: { x: train.x, y: train.y },
          test: { x: test.x, labels: test.labels },
          kappa: task.kappa,
          compressions,
          epochs: task.epochs,
          finetuneEpochs: task.finetuneEpochs,
          learningRate: task.learningRate,
          batchSize: task.batchSize,
          onEpoch: (e) =>
            context.log(
              `prune: ${task.model}: ${e.run} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)}`,
            ),
          onPoint: (p) =>
            context.log(
              `prune: ${task.model}: ${p.method} ${p.compression.toFixed(1)}× ${(100 * p.accuracy).toFixed(1)}%`,
            ),
        });
      } finally {
        tf.dispose([train.x, train.y, test.x, test.y]);
      }
      const dense = result.points.find((p) => p.method === 'magnitude' && p.threshold === null);
      const rows: CaseResult[] = result.points.map((p) => ({
        model: task.model,
        method: p.method,
        target: p.threshold === null ? 1 : (compressions[pointIndex(result.points, p)] ?? null),
        compression: p.compression,
        accuracy: p.accuracy,
        vsDense: dense === undefined ? null : p.accuracy - dense.accuracy,
        seconds: p.seconds,
      }));
      cases.push(...rows);
      const at = (method: string, target: number) =>
        rows.find((c) => c['method'] === method && c['target'] === target);
      const spred100 = at('spred', 100);
      if (spred100 !== undefined && dense !== undefined)
        targets.push({
          name: `${task.model}: spred at 100× within 1 point of the dense model`,
          met: (spred100['accuracy'] as number) >= dense.accuracy - 0.01,
          detail: `spred ${pct(spred100['accuracy'])} at ${(spred100['compression'] as number).toFixed(0)}× vs dense ${pct(dense.accuracy)}`,
        });
      const spred1000 = at('spred', 1000);
      if (spred1000 !== undefined) {
        const rivals = rows.filter((c) => c['method'] !== 'spred' && c['target'] === 1000);
        const best = rivals.reduce<CaseResult | undefined>(
          (a, c) =>
            a === undefined || (c['accuracy'] as number) > (a['accuracy'] as number) ? c : a,
          undefined,
        );
        targets.push({
          name: `${task.model}: spred ahead of every baseline at 1000×`,
          met:
            best === undefined || (spred1000['accuracy'] as number) > (best['accuracy'] as number),
          detail: `spred ${pct(spred1000['accuracy'])} vs best baseline ${String(best?.['method'])} ${pct(best?.['accuracy'] ?? null)}`,
        });
      }
    }
    return {
      cases,
      columns: ['model', 'method', 'target', 'compression', 'accuracy', 'vsDense', 'seconds'],
      targets,
    };
  },
};

/** Which threshold (0, 1, …) of its method a pruned point belongs to. */
function pointIndex(points: readonly PrunePoint[], point: PrunePoint): number {
  return points.filter((p) => p.method === point.method && p.threshold !== null).indexOf(point);
}

function pct(value: unknown): string {
  return typeof value === 'number' ? `${(100 * value).toFixed(1)}%` : '–';
}
