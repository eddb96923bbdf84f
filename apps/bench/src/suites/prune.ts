import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { frontChart } from '@spredjs/cli';
import {
  channelStats,
  imageTensors,
  lenet5,
  mlp,
  pruningFront,
  readImageFolder,
  type FrontPoint,
  type ImageDataset,
  type PruneMethod,
} from '@spredjs/vision';
import { renderVegaLiteSvg } from '../figures/render-svg.js';
import { FASHION_MNIST } from '../problems/fashion-mnist.js';
import type { BenchSuite, CaseResult, SuiteContext, SuiteOutcome } from '../harness/suite.js';
import { readFront, type FrontReading } from './prune-reading.js';

/** The target compressions of every front, and the columns the table reads them at. */
const COMPRESSIONS = [10, 100, 1000] as const;
/** The κ grid of the full fronts. */
const KAPPAS = [3e-5, 1e-4, 3e-4, 1e-3] as const;
/** What the whole front of one model may take (wall clock, one wasm thread). */
const FULL_BUDGET_SECONDS = 90 * 60;

/** Which of the issue's claims a model's front is checked against. */
type Claims = 'lenet-300-100' | 'lenet-5';

/** One network of the `prune` suite, with the budget its front gets. */
export interface PruneTask {
  /** Its name in the table, the figures and the results folder. */
  readonly model: string;
  /** The name `spred prune` gives it (part of the results folder's fingerprint). */
  readonly modelName: string;
  readonly build: () => ReturnType<typeof mlp>;
  readonly claims: Claims;
  readonly kappas: readonly number[];
  readonly epochs: number;
  readonly finetuneEpochs: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly minimumPerLayer: number;
  readonly budgetSeconds: number;
}

const mnistShape: [number, number, number] = [28, 28, 1];

/**
 * The networks and budgets of the suite. LeNet-300-100's is the CLI run
 * `spred prune --model mlp --kappas 3e-5,1e-4,3e-4,1e-3 --compressions 10,100,1000 --epochs 10
 * --finetune-epochs 3 --train-samples 20000 --test-samples 10000 --min-per-layer 20` with the
 * CLI's defaults for the rest (batch 64, Adam lr 3e-3, weight decay 5e-4, seed 0), and the same
 * model name: the two fronts have one fingerprint, so they agree point for point on one backend
 * and either's `kappas/` folder resumes the other.
 *
 * @example
 * ```ts
 * const [lenet300] = pruneTasks(false); // lenet300.trainSamples === 20000
 * ```
 */
export function pruneTasks(quick: boolean): PruneTask[] {
  const cli = { batchSize: 64, learningRate: 3e-3 };
  if (quick)
    return [
      {
        model: 'mlp-784-64-10',
        modelName: 'mlp 64',
        build: () => mlp({ inputShape: mnistShape, hidden: [64], classes: 10, seed: 0 }),
        claims: 'lenet-300-100',
        kappas: [1e-4, 1e-3],
        epochs: 2,
        finetuneEpochs: 1,
        trainSamples: 600,
        testSamples: 300,
        ...cli,
        minimumPerLayer: 5,
        budgetSeconds: 60,
      },
      {
        model: 'lenet-5-quick',
        modelName: 'lenet5',
        build: () => lenet5({ inputShape: mnistShape, classes: 10, seed: 0 }),
        claims: 'lenet-5',
        kappas: [1e-4, 1e-3],
        epochs: 1,
        finetuneEpochs: 1,
        trainSamples: 200,
        testSamples: 200,
        ...cli,
        minimumPerLayer: 2,
        budgetSeconds: 60,
      },
    ];
  return [
    {
      model: 'lenet-300-100',
      modelName: 'mlp 300,100',
      build: () => mlp({ inputShape: mnistShape, hidden: [300, 100], classes: 10, seed: 0 }),
      claims: 'lenet-300-100',
      kappas: KAPPAS,
      epochs: 10,
      finetuneEpochs: 3,
      trainSamples: 20_000,
      testSamples: 10_000,
      ...cli,
      minimumPerLayer: 20,
      budgetSeconds: FULL_BUDGET_SECONDS,
    },
    {
      // Timed on wasm (one thread; 2 cores, the other busy): a LeNet-5 epoch costs 0.96 ms per
      // image for spred, 0.76–0.84 ms for plain and masked training, and each evaluation of the
      // 10,000 test images about 1 s. The front trains 4 κ × 10 spred epochs and 367 other epochs
      // (7 methods, 3 compressions, 10 + 3 epochs) and evaluates 44 times: ≈ 0.34 s per training
      // image, so 10,000 images take ≈ 58 min, a third under the 90-minute budget.
      model: 'lenet-5',
      modelName: 'lenet5',
      build: () => lenet5({ inputShape: mnistShape, classes: 10, seed: 0 }),
      claims: 'lenet-5',
      kappas: KAPPAS,
      epochs: 10,
      finetuneEpochs: 3,
      trainSamples: 10_000,
      testSamples: 10_000,
      ...cli,
      // Not 20: LeNet-5 has 5 kernels and 61,470 kernel weights, so a floor of 20 alone would keep
      // 100 of the 61 that 1000× allows.
      minimumPerLayer: 5,
      budgetSeconds: FULL_BUDGET_SECONDS,
    },
  ];
}

/** Fashion-MNIST-shaped images where class k lights its own band: the stand-in when the real set is absent. */
function bandImages(n: number): ImageDataset {
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const images = new Uint8Array(n * 784);
  labels.forEach((c, i) => images.fill(255, i * 784 + c * 78, i * 784 + c * 78 + 78));
  return { images, labels, count: n, height: 28, width: 28, channels: 1 };
}

/** One target of the harness. */
interface Target {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

/** One model's front as measured (or read back) in this run. */
interface MeasuredFront {
  readonly task: PruneTask;
  readonly points: readonly FrontPoint[];
  readonly fronts: Partial<Record<PruneMethod, FrontPoint[]>>;
  readonly reading: FrontReading;
  /** Wall seconds of this run, plus the training seconds of the κ read back. */
  readonly seconds: number;
  /** κ read back from the results folder instead of trained. */
  readonly resumed: readonly number[];
  readonly trainSamples: number;
  readonly testSamples: number;
}

/**
 * Suite `prune`: the accuracy–compression Pareto fronts over κ of the pruning protocol on
 * Fashion-MNIST (`../shared/data`; synthetic bands when absent), LeNet-300-100 and LeNet-5. For
 * each model `pruningFront` trains spred once per κ (3e-5, 1e-4, 3e-4, 1e-3), collapses it at
 * 10×, 100× and 1000× and finetunes, and runs magnitude, random, SNIP, SynFlow, GraSP and lottery
 * tickets at the same compressions on the same budget, every method keeping a floor of weights per
 * layer; the table reads each method's front at 10×, 100× and 1000× (see `readFront`) beside the
 * dense model's accuracy and each method's training seconds. Every finished κ is kept in
 * `<out>/prune/<model>/kappas/`, so an interrupted run resumes; `fronts.json` and `front.svg`
 * (the CLI's chart) go beside it. Quick: a small MLP and LeNet-5 on a few hundred images, 2 κ,
 * nothing kept to resume from.
 */
export const pruneSuite: BenchSuite = {
  name: 'prune',
  description:
    'accuracy–compression Pareto fronts over κ: spred vs magnitude, random, SNIP, SynFlow, GraSP and lottery tickets (LeNet-300-100 and LeNet-5, Fashion-MNIST)',
  async run(context): Promise<SuiteOutcome> {
    const tasks = pruneTasks(context.quick);
    const real = existsSync(FASHION_MNIST);
    const largest = Math.max(...tasks.map((t) => t.trainSamples));
    const trainSet = real
      ? readImageFolder('fashion-mnist', FASHION_MNIST, 'train')
      : bandImages(largest);
    const testSet = real
      ? readImageFolder('fashion-mnist', FASHION_MNIST, 'test')
      : bandImages(10_000);
    const data = real ? 'fashion-mnist' : 'synthetic bands';
    const cases: CaseResult[] = [];
    const targets: Target[] = [];
    const figures: { file: string; svg: string }[] = [];
    for (const task of tasks) {
      const front = await measureFront(task, trainSet, testSet, data, context);
      const folder = `prune/${task.model}`;
      const dense = front.reading.dense;
      figures.push({
        file: `${folder}/front.svg`,
        svg: await renderVegaLiteSvg(
          frontChart(
            `${task.model} on ${data}: accuracy vs compression over κ = ${task.kappas.join(', ')}`,
            front.points,
            front.fronts,
            dense?.accuracy,
          ),
        ),
      });
      if (context.outDir !== undefined) {
        mkdirSync(join(context.outDir, folder), { recursive: true });
        writeFileSync(
          join(context.outDir, folder, 'fronts.json'),
          `${JSON.stringify(frontRecord(front, data), null, 2)}\n`,
        );
      }
      cases.push(...frontRows(front, data));
      targets.push(...claims(front));
    }
    return {
      cases,
      columns: [
        'model',
        'method',
        'unpruned',
        ...COMPRESSIONS.map((c) => `at${c}x`),
        'seconds',
        'points',
      ],
      targets,
      figures,
    };
  },
};

/** One model's front: the data cut to its sizes, `pruningFront`, and the reading at COMPRESSIONS. */
async function measureFront(
  task: PruneTask,
  trainSet: ImageDataset,
  testSet: ImageDataset,
  data: string,
  context: SuiteContext,
): Promise<MeasuredFront> {
  const nTrain = Math.min(task.trainSamples, trainSet.count);
  const stats = channelStats(trainSet, nTrain);
  const train = imageTensors(trainSet, { classes: 10, count: nTrain, stats });
  const test = imageTensors(testSet, {
    classes: 10,
    count: Math.min(task.testSamples, testSet.count),
    stats,
  });
  const nTest = test.labels.length;
  // A quick run is a smoke test of the code as it is now: it always trains.
  const resultsDir =
    context.outDir === undefined || context.quick
      ? undefined
      : join(context.outDir, 'prune', task.model, 'kappas');
  const log = (line: string) => context.log(`prune: ${task.model}: ${line}`);
  log(
    `${data}, ${nTrain} training images (the first ${nTrain} of ${trainSet.count}), ${nTest} test images; κ ${task.kappas.join(', ')}; compressions ${COMPRESSIONS.join(', ')}; ${task.epochs} + ${task.finetuneEpochs} epochs, batch ${task.batchSize}, lr ${task.learningRate}, ≥ ${task.minimumPerLayer} weights per kernel${resultsDir === undefined ? '' : `; finished κ kept in ${resultsDir}`}`,
  );
  const resumed: number[] = [];
  let resumedSeconds = 0;
  const started = performance.now();
  let result;
  try {
    result = await pruningFront({
      build: task.build,
      modelName: task.modelName,
      train: { x: train.x, y: train.y },
      test: { x: test.x, labels: test.labels },
      kappas: task.kappas,
      compressions: COMPRESSIONS,
      epochs: task.epochs,
      finetuneEpochs: task.finetuneEpochs,
      learningRate: task.learningRate,
      batchSize: task.batchSize,
      minimumPerLayer: task.minimumPerLayer,
      ...(resultsDir === undefined ? {} : { resultsDir }),
      onKappa: (e) => {
        if (e.resumed) resumed.push(e.kappa);
        log(
          `κ=${e.kappa}${e.resumed ? ' read back' : ''}${e.baselines ? ' (with the baselines)' : ''}`,
        );
      },
      onEpoch: (e) => log(`${e.run} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)}`),
      onPoint: (p, wasSaved) => {
        if (wasSaved) resumedSeconds += p.seconds;
        log(
          `${p.method}${p.kappa === null ? '' : ` κ=${p.kappa}`} ${p.compression.toFixed(1)}× ${pct(p.accuracy)}${wasSaved ? ' (saved)' : ''}`,
        );
      },
    });
  } finally {
    tf.dispose([train.x, train.y, test.x, test.y]);
  }
  const seconds = (performance.now() - started) / 1000 + resumedSeconds;
  for (const [method, points] of Object.entries(result.fronts))
    log(
      `front of ${method}: ${points
        .map(
          (p) =>
            `${p.compression.toFixed(1)}× ${pct(p.accuracy)}${p.kappa === null ? '' : ` (κ=${p.kappa})`}`,
        )
        .join(', ')}`,
    );
  return {
    task,
    points: result.points,
    fronts: result.fronts,
    reading: readFront(result.points, COMPRESSIONS),
    seconds,
    resumed,
    trainSamples: nTrain,
    testSamples: nTest,
  };
}

/** The table's rows of one model: the dense model, then each method read at COMPRESSIONS. */
function frontRows(front: MeasuredFront, data: string): CaseResult[] {
  const { task, reading } = front;
  const common = {
    model: task.model,
    data,
    trainSamples: front.trainSamples,
    testSamples: front.testSamples,
    kappas: task.kappas.join(','),
    frontSeconds: front.seconds,
  };
  const none = Object.fromEntries(COMPRESSIONS.map((c) => [`at${c}x`, null]));
  const rows: CaseResult[] = [];
  if (reading.dense !== undefined)
    rows.push({
      ...common,
      method: 'dense',
      unpruned: reading.dense.accuracy,
      ...none,
      seconds: reading.dense.seconds,
      points: 0,
    });
  for (const m of reading.methods) {
    const at: Record<string, number | null> = {};
    for (const c of COMPRESSIONS) {
      const p = m.at.get(c);
      at[`at${c}x`] = p?.accuracy ?? null;
      at[`compressionAt${c}x`] = p?.compression ?? null;
      at[`kappaAt${c}x`] = p?.kappa ?? null;
    }
    rows.push({
      ...common,
      method: m.method,
      // The others' unpruned model is the dense one, on its own row.
      unpruned: m.method === 'spred' ? (m.unpruned ?? null) : null,
      ...at,
      seconds: m.seconds,
      points: m.points,
    });
  }
  return rows;
}

/** fronts.json: the configuration, each method's front and every point. */
function frontRecord(front: MeasuredFront, data: string): Record<string, unknown> {
  const { task } = front;
  return {
    model: task.model,
    modelName: task.modelName,
    data,
    trainSamples: front.trainSamples,
    testSamples: front.testSamples,
    kappas: task.kappas,
    compressions: COMPRESSIONS,
    epochs: task.epochs,
    finetuneEpochs: task.finetuneEpochs,
    batchSize: task.batchSize,
    learningRate: task.learningRate,
    minimumPerLayer: task.minimumPerLayer,
    seconds: front.seconds,
    resumedKappas: front.resumed,
    fronts: front.fronts,
    points: front.points,
  };
}

/** The issue's targets for one model's front. */
function claims(front: MeasuredFront): Target[] {
  const { task, reading } = front;
  const at = (method: PruneMethod, c: number) =>
    reading.methods.find((m) => m.method === method)?.at.get(c);
  const baselines = reading.methods.map((m) => m.method).filter((m) => m !== 'spred');
  const ahead = (c: number, rivals: readonly PruneMethod[], who: string): Target => {
    const spred = at('spred', c);
    const measured = rivals.flatMap((m) => {
      const p = at(m, c);
      return p === undefined ? [] : [p];
    });
    const best = measured.reduce<FrontPoint | undefined>(
      (a, p) => (a === undefined || p.accuracy > a.accuracy ? p : a),
      undefined,
    );
    return {
      name: `${task.model}: spred ahead of ${who} at ${c}×`,
      met: spred !== undefined && (best === undefined || spred.accuracy > best.accuracy),
      detail: `spred ${describe(spred)} vs ${measured.length === 0 ? 'no baseline point' : measured.map((p) => `${p.method} ${describe(p)}`).join(', ')}`,
    };
  };
  const targets: Target[] = [];
  if (task.claims === 'lenet-300-100') {
    const spred = at('spred', 100);
    const dense = reading.dense;
    targets.push(
      {
        name: `${task.model}: spred at 100× within 1 point of the dense model`,
        met: spred !== undefined && dense !== undefined && spred.accuracy >= dense.accuracy - 0.01,
        detail: `spred ${describe(spred)} vs dense ${pct(dense?.accuracy)}`,
      },
      ahead(100, baselines, 'every baseline'),
      ahead(1000, baselines, 'every baseline'),
    );
  } else {
    const rivals: PruneMethod[] = ['magnitude', 'snip'];
    targets.push(ahead(10, rivals, 'magnitude and SNIP'), ahead(100, rivals, 'magnitude and SNIP'));
  }
  const minutes = task.budgetSeconds / 60;
  targets.push({
    name: `${task.model}: whole front ≤ ${minutes} min`,
    met: front.seconds <= task.budgetSeconds,
    detail: `${front.seconds.toFixed(0)} s (${(front.seconds / 60).toFixed(1)} min) for ${task.kappas.length} κ${front.resumed.length === 0 ? '' : `; κ ${front.resumed.join(', ')} read back, counted by their training seconds`}`,
  });
  return targets;
}

/** "86.1% at 99.8× (κ=1e-4)", or "–" when there is no point. */
function describe(p: FrontPoint | undefined): string {
  if (p === undefined) return '–';
  return `${pct(p.accuracy)} at ${p.compression.toFixed(1)}×${p.kappa === null ? '' : ` (κ=${p.kappa})`}`;
}

function pct(value: number | undefined): string {
  return value === undefined ? '–' : `${(100 * value).toFixed(1)}%`;
}
