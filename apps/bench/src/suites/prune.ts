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

/**
 * Suite `prune`: the pruning protocol at CPU scale on Fashion-MNIST (`../shared/data`): spred on
 * every kernel of a ResNet-8, pruned to 10×, 100× and 1000× compression and finetuned, against
 * magnitude pruning of the same network trained normally, random pruning, SNIP and lottery tickets,
 * all from one initialization on one budget. Quick: an MLP on a small subset.
 */
export const pruneSuite: BenchSuite = {
  name: 'prune',
  description:
    'accuracy vs compression: spred vs magnitude, random, SNIP and lottery tickets (ResNet-8, Fashion-MNIST)',
  async run(context): Promise<SuiteOutcome> {
    const quick = context.quick;
    const real = existsSync(FASHION);
    const trainSet = real ? readImageFolder('fashion-mnist', FASHION, 'train') : bandImages(3000);
    const testSet = real ? readImageFolder('fashion-mnist', FASHION, 'test') : bandImages(1000);
    const [nTrain, nTest] = quick ? [600, 300] : [2500, 1000];
    const stats = channelStats(trainSet, nTrain);
    const train = imageTensors(trainSet, { classes: 10, count: nTrain, stats });
    const test = imageTensors(testSet, { classes: 10, count: nTest, stats });
    const compressions = [10, 100, 1000];
    const model = quick ? 'mlp 784-64-10' : 'resnet8';
    context.log(
      `prune: ${model} on ${real ? 'Fashion-MNIST' : 'synthetic bands'}, ${nTrain} training / ${nTest} test images`,
    );
    let result;
    try {
      result = await pruningCurve({
        build: () =>
          quick
            ? mlp({ inputShape: [28, 28, 1], hidden: [64], classes: 10, seed: 0 })
            : cifarResnet(8, { inputShape: [28, 28, 1], classes: 10, seed: 0 }),
        train: { x: train.x, y: train.y },
        test: { x: test.x, labels: test.labels },
        kappa: 1e-3,
        compressions,
        epochs: quick ? 2 : 4,
        finetuneEpochs: 1,
        learningRate: 3e-3,
        batchSize: 64,
        onEpoch: (e) =>
          context.log(`prune: ${e.run} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)}`),
        onPoint: (p) =>
          context.log(
            `prune: ${p.method} ${p.compression.toFixed(1)}× ${(100 * p.accuracy).toFixed(1)}%`,
          ),
      });
    } finally {
      tf.dispose([train.x, train.y, test.x, test.y]);
    }
    const dense = result.points.find((p) => p.method === 'magnitude' && p.threshold === null);
    const cases: CaseResult[] = result.points.map((p) => ({
      method: p.method,
      target: p.threshold === null ? 1 : (compressions[pointIndex(result.points, p)] ?? null),
      compression: p.compression,
      accuracy: p.accuracy,
      vsDense: dense === undefined ? null : p.accuracy - dense.accuracy,
      seconds: p.seconds,
    }));
    const at = (method: string, target: number) =>
      cases.find((c) => c['method'] === method && c['target'] === target);
    const targets = [];
    const spred100 = at('spred', 100);
    if (spred100 !== undefined && dense !== undefined)
      targets.push({
        name: 'spred at 100× within 1 point of the dense model',
        met: (spred100['accuracy'] as number) >= dense.accuracy - 0.01,
        detail: `spred ${pct(spred100['accuracy'])} at ${(spred100['compression'] as number).toFixed(0)}× vs dense ${pct(dense.accuracy)}`,
      });
    const spred1000 = at('spred', 1000);
    if (spred1000 !== undefined) {
      const rivals = cases.filter((c) => c['method'] !== 'spred' && c['target'] === 1000);
      const best = rivals.reduce<CaseResult | undefined>(
        (a, c) =>
          a === undefined || (c['accuracy'] as number) > (a['accuracy'] as number) ? c : a,
        undefined,
      );
      targets.push({
        name: 'spred ahead of every baseline at 1000×',
        met: best === undefined || (spred1000['accuracy'] as number) > (best['accuracy'] as number),
        detail: `spred ${pct(spred1000['accuracy'])} vs best baseline ${String(best?.['method'])} ${pct(best?.['accuracy'] ?? null)}`,
      });
    }
    return {
      cases,
      columns: ['method', 'target', 'compression', 'accuracy', 'vsDense', 'seconds'],
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
