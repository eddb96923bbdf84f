import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { tfSeed } from '@spredjs/core';
import { collapse, polish, spredify } from '@spredjs/layers';
import { GroupedOptimizer, cosineSchedule, train } from '@spredjs/optim';
import { SparseLogisticRegression } from '@spredjs/solvers';
import {
  channelStats,
  evaluateAccuracyAsync,
  imageTensors,
  mlp,
  readImageFolder,
  type ImageDataset,
} from '@spredjs/vision';
import { facetedLineChart } from '../figures/faceted-line-chart.js';
import { renderVegaLiteSvg } from '../figures/render-svg.js';
import { FASHION_MNIST } from '../problems/fashion-mnist.js';
import type { BenchSuite, CaseResult, SuiteContext, SuiteOutcome } from '../harness/suite.js';
import {
  multinomialProblem,
  plantedInteraction,
  PLANTED_INPUTS,
} from '../problems/planted-classes.js';

/** The optimizers a user trains with: tfjs's SGD, momentum and Adam (`model.fit`), AdamW from `@spredjs/optim` (`train()`). */
const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw'] as const;
type OptimizerName = (typeof OPTIMIZERS)[number];

/** Per-sample loss of targets and model outputs, as tfjs-layers' compiled losses are. */
type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** How one model is trained: epochs of mini-batches, a cosine-decayed rate per optimizer. */
interface Recipe {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: Readonly<Record<OptimizerName, number>>;
}

/** One polish trace point, for the figure. */
interface TracePoint {
  readonly part: string;
  readonly optimizer: string;
  readonly iteration: number;
  readonly violation: number;
}

/**
 * Suite `certify`: does `spredify` + any optimizer + `polish` + `collapse(model, { x, y })` give
 * the exact sparse answer in a user's hands? For SGD, momentum and Adam through `model.fit` and
 * AdamW through `@spredjs/optim`'s `train()`, mini-batch, several seeds:
 * - `logistic` (a): a spredified multinomial logistic model (500 × 20, 3 classes, κ = 5e-3)
 *   against `SparseLogisticRegression` at α = 2κ (float64, duality gap 1e-10): support agreement
 *   and largest coefficient error before (certified collapse of the trained model) and after polish;
 * - `planted` (b): a 20→32→3 tanh MLP with one group per input row, trained dense then spredified
 *   (κ = 3e-2 on the input rows), on data where 4 of 20 inputs matter, two of them only through
 *   their product: the inputs kept vs the planted ones, the violation before and after, and polish
 *   time as a share of training time;
 * - `lenet` (c): LeNet-300-100 on 10,000 Fashion-MNIST images (κ = 1e-4, elementwise), 100 polish
 *   iterations: certified share, violation and test accuracy (10,000 images) before and after.
 * Polish runs at its default tolerance (1e-4 of 2κ) but in (b), which asks for its target's 1e-3.
 * The settings of (b) were chosen on seeds 1001–1003; the seeds reported are 1–10.
 */
export const certifySuite: BenchSuite = {
  name: 'certify',
  description:
    'spredify + SGD/momentum/Adam/AdamW + polish + collapse: logistic vs the exact L1 answer, planted inputs of an MLP, LeNet-300-100',
  async run(context): Promise<SuiteOutcome> {
    const parts = context.parts ?? ['logistic', 'planted', 'lenet'];
    const cases: CaseResult[] = [];
    const traces: TracePoint[] = [];
    const targets: NonNullable<SuiteOutcome['targets']>[number][] = [];
    if (parts.includes('logistic')) {
      const rows = await logisticPart(context, traces);
      cases.push(...rows);
      const worstError = Math.max(...rows.map((r) => r['errorAfter'] as number));
      const agreeing = rows.filter((r) => r['supportAfter'] === r['entries']).length;
      targets.push({
        name: '(a) support agreement 100% and coefficients within 1e-4 of the largest, every optimizer and seed',
        met: agreeing === rows.length && worstError <= 1e-4,
        detail: `${agreeing}/${rows.length} runs agree on every entry; largest error ${worstError.toExponential(2)}`,
      });
    }
    if (parts.includes('planted')) {
      const rows = await plantedPart(context, traces);
      cases.push(...rows);
      for (const optimizer of OPTIMIZERS) {
        const own = rows.filter((r) => r['optimizer'] === optimizer);
        const exact = own.filter((r) => r['plantedOnly'] === true).length;
        const worst = Math.max(...own.map((r) => r['violationAfter'] as number));
        const shares = own.map((r) => r['polishShare'] as number).sort((a, b) => a - b);
        const median = shares[Math.floor((shares.length - 1) / 2)] as number;
        targets.push({
          name: `(b) ${optimizer}: the planted inputs and only they in ≥ 90% of seeds; violation ≤ 1e-3; polish ≤ 10% of training (median)`,
          met: exact >= Math.ceil(0.9 * own.length) && worst <= 1e-3 && median <= 0.1,
          detail: `${exact}/${own.length} seeds exact; largest violation ${worst.toExponential(2)}; polish share median ${(100 * median).toFixed(0)}%, largest ${(100 * (shares.at(-1) as number)).toFixed(0)}%`,
        });
      }
    }
    if (parts.includes('lenet')) {
      const rows = await lenetPart(context, traces);
      cases.push(...rows);
      const worst = Math.min(
        ...rows.map((r) => (r['accuracyAfter'] as number) - (r['accuracyBefore'] as number)),
      );
      targets.push({
        name: '(c) test accuracy after polish within 0.3 points of the unpolished model',
        met: worst >= -0.3,
        detail: `largest drop ${(-worst).toFixed(2)} points; certified share after: ${rows.map((r) => `${r['optimizer']} ${(100 * (r['certifiedShareAfter'] as number)).toFixed(1)}%`).join(', ')}`,
      });
    }
    return {
      cases,
      columns: [
        'part',
        'optimizer',
        'seed',
        'trainSeconds',
        'polishSeconds',
        'violationBefore',
        'violationAfter',
        'supportBefore',
        'supportAfter',
        'errorBefore',
        'errorAfter',
        'keptBefore',
        'keptAfter',
        'certifiedShareBefore',
        'certifiedShareAfter',
        'accuracyBefore',
        'accuracyAfter',
      ],
      targets,
      figures:
        traces.length === 0
          ? []
          : [
              {
                file: 'certify/violation.svg',
                svg: await renderVegaLiteSvg(
                  facetedLineChart({
                    title: 'polish: largest violation (relative to 2κ) by iteration, first seed',
                    points: traces,
                    facet: { field: 'part', title: 'part' },
                    color: 'optimizer',
                    x: { field: 'iteration', title: 'polish iteration', scale: 'linear-no-zero' },
                    y: { field: 'violation', title: 'max violation / 2κ', scale: 'log' },
                    independentY: true,
                  }),
                ),
              },
            ],
    };
  },
};

/** (a) The multinomial logistic model against the exact answer, before and after polish. */
async function logisticPart(context: SuiteContext, traces: TracePoint[]): Promise<CaseResult[]> {
  const [n, d, k, kappa] = [500, 20, 3, 5e-3];
  const seeds = context.quick ? [1] : [1, 2, 3];
  const recipe: Recipe = {
    epochs: context.quick ? 30 : 100,
    batchSize: 32,
    learningRate: { sgd: 0.1, momentum: 0.05, adam: 1e-2, adamw: 1e-2 },
  };
  const rows: CaseResult[] = [];
  for (const seed of seeds) {
    const problem = multinomialProblem(n, d, k, 6, seed);
    const reference = new SparseLogisticRegression({ alpha: 2 * kappa, tol: 1e-10 }).fit(
      problem.x,
      problem.labels,
    );
    const exact = reference.coefMatrix.flat(); // d × k, row-major: the Dense kernel's layout
    const largest = Math.max(...exact.map(Math.abs));
    const x = tf.tensor2d(problem.x);
    const y = tf.oneHot(tf.tensor1d(problem.labels, 'int32'), k);
    const compare = (kernel: Float32Array) => {
      let agree = 0;
      let error = 0;
      kernel.forEach((v, i) => {
        const e = exact[i] as number;
        if ((v === 0) === (e === 0)) agree++;
        error = Math.max(error, Math.abs(v - e) / largest);
      });
      return { agree, error };
    };
    for (const optimizer of OPTIMIZERS) {
      context.log(`certify: logistic, seed ${seed}, ${optimizer}`);
      const plain = tfl.sequential({
        layers: [
          tfl.layers.dense({ units: k, inputShape: [d], activation: 'softmax', name: 'logistic' }),
        ],
      });
      const model = await spredify(plain, { kappa, weights: 'reinitialize', seed });
      plain.dispose();
      const loss: LossFn = (yt, yp) => tfl.metrics.categoricalCrossentropy(yt, yp);
      const trainSeconds = await fitWith(model, optimizer, loss, x, y, recipe, seed);
      const measured = await measure(
        model,
        x,
        y,
        'logistic',
        optimizer,
        seed === seeds[0] ? traces : undefined,
      );
      const kernelOf = async (m: tfl.LayersModel) =>
        (await (m.getWeights()[0] as tf.Tensor).data()) as Float32Array;
      const before = compare(await kernelOf(measured.collapsedBefore));
      const after = compare(await kernelOf(measured.collapsedAfter));
      rows.push({
        part: 'logistic',
        optimizer,
        seed,
        entries: exact.length,
        trainSeconds,
        polishSeconds: measured.polishSeconds,
        violationBefore: measured.before.maxViolation,
        violationAfter: measured.after.maxViolation,
        supportBefore: before.agree,
        supportAfter: after.agree,
        errorBefore: before.error,
        errorAfter: after.error,
        certifiedShareBefore: measured.before.certifiedShare,
        certifiedShareAfter: measured.after.certifiedShare,
        stopReason: measured.stopReason,
      });
      measured.dispose();
      model.dispose();
    }
    tf.dispose([x, y]);
  }
  return rows;
}

/** (b) The planted inputs of an MLP with one group per input row. */
async function plantedPart(context: SuiteContext, traces: TracePoint[]): Promise<CaseResult[]> {
  const [n, d, hidden, kappa] = [4000, 20, 32, 3e-2];
  const seeds = context.quick ? [1, 2] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const dense: Recipe = {
    epochs: context.quick ? 10 : 30,
    batchSize: 32,
    learningRate: { sgd: 0.3, momentum: 0.03, adam: 1e-2, adamw: 1e-2 },
  };
  const sparse: Recipe = { ...dense, epochs: context.quick ? 10 : 40 };
  const rows: CaseResult[] = [];
  const loss: LossFn = (yt, yp) => tfl.metrics.categoricalCrossentropy(yt, yp);
  for (const seed of seeds) {
    const problem = plantedInteraction(n, d, seed);
    const heldOut = plantedInteraction(2000, d, seed + 10_000);
    const x = tf.tensor2d(problem.x);
    const y = tf.oneHot(tf.tensor1d(problem.labels, 'int32'), 3);
    const xTest = tf.tensor2d(heldOut.x);
    for (const optimizer of OPTIMIZERS) {
      context.log(`certify: planted, seed ${seed}, ${optimizer}`);
      const init = (offset: number) => tfl.initializers.heNormal({ seed: tfSeed(seed + offset) });
      const plain = tfl.sequential({
        layers: [
          tfl.layers.dense({
            units: hidden,
            inputShape: [d],
            activation: 'tanh',
            name: 'inputs',
            kernelInitializer: init(0),
          }),
          tfl.layers.dense({
            units: 3,
            activation: 'softmax',
            kernelInitializer: init(1),
            kernelRegularizer: tfl.regularizers.l2({ l2: 1e-3 }),
          }),
        ],
      });
      // Train dense, then sparsify the trained model (same outputs) and go on with the penalty.
      const denseSeconds = await fitWith(plain, optimizer, loss, x, y, dense, seed);
      const model = await spredify(plain, { kappa: { inputs: kappa }, structure: 'inputs' });
      plain.dispose();
      const sparseSeconds = await fitWith(model, optimizer, loss, x, y, sparse, seed + 1);
      const trainSeconds = denseSeconds + sparseSeconds;
      const accuracy = async (m: tfl.LayersModel) =>
        100 * (await evaluateAccuracyAsync(m, xTest, heldOut.labels));
      const accuracyBefore = await accuracy(model);
      // polish is asked for what the target measures: violations up to 1e-3 of 2κ
      const measured = await measure(
        model,
        x,
        y,
        'planted',
        optimizer,
        seed === seeds[0] ? traces : undefined,
        { tol: 1e-3 },
      );
      const keptBefore = await keptRows(measured.collapsedBefore, d, hidden);
      const keptAfter = await keptRows(measured.collapsedAfter, d, hidden);
      rows.push({
        part: 'planted',
        optimizer,
        seed,
        trainSeconds,
        polishSeconds: measured.polishSeconds,
        polishShare: measured.polishSeconds / trainSeconds,
        violationBefore: measured.before.maxViolation,
        violationAfter: measured.after.maxViolation,
        keptBefore: keptBefore.join(' '),
        keptAfter: keptAfter.join(' '),
        plantedOnly: keptAfter.join(' ') === PLANTED_INPUTS.join(' '),
        certifiedShareBefore: measured.before.certifiedShare,
        certifiedShareAfter: measured.after.certifiedShare,
        accuracyBefore,
        accuracyAfter: await accuracy(measured.collapsedAfter),
        stopReason: measured.stopReason,
      });
      measured.dispose();
      model.dispose();
    }
    tf.dispose([x, y, xTest]);
  }
  return rows;
}

/** (c) LeNet-300-100 on Fashion-MNIST: certified share, violation and accuracy around polish. */
async function lenetPart(context: SuiteContext, traces: TracePoint[]): Promise<CaseResult[]> {
  const kappa = 1e-4;
  const nTrain = context.quick ? 1000 : 10_000;
  const nTest = context.quick ? 1000 : 10_000;
  const real = existsSync(FASHION_MNIST);
  if (!real) context.log(`certify: lenet: no Fashion-MNIST at ${FASHION_MNIST}; skipped`);
  if (!real) return [];
  const trainSet: ImageDataset = readImageFolder('fashion-mnist', FASHION_MNIST, 'train');
  const testSet: ImageDataset = readImageFolder('fashion-mnist', FASHION_MNIST, 'test');
  const stats = channelStats(trainSet, nTrain);
  const trainData = imageTensors(trainSet, { classes: 10, count: nTrain, stats });
  const testData = imageTensors(testSet, { classes: 10, count: nTest, stats });
  const recipe: Recipe = {
    epochs: context.quick ? 2 : 10,
    batchSize: 64,
    learningRate: { sgd: 0.1, momentum: 0.02, adam: 3e-3, adamw: 3e-3 },
  };
  const optimizers: readonly OptimizerName[] = context.quick ? ['adam'] : OPTIMIZERS;
  const loss: LossFn = (yt, logits) =>
    tf.losses.softmaxCrossEntropy(yt, logits, undefined, undefined, tf.Reduction.NONE);
  const rows: CaseResult[] = [];
  for (const optimizer of optimizers) {
    context.log(`certify: lenet, ${optimizer}`);
    const init = mlp({ inputShape: [28, 28, 1], hidden: [300, 100], classes: 10, seed: 1 });
    const model = await spredify(init, { kappa });
    init.dispose();
    const trainSeconds = await fitWith(model, optimizer, loss, trainData.x, trainData.y, recipe, 1);
    const accuracy = async (m: tfl.LayersModel) =>
      100 * (await evaluateAccuracyAsync(m, testData.x, testData.labels, 1000));
    const accuracyBefore = await accuracy(model);
    const measured = await measure(model, trainData.x, trainData.y, 'lenet', optimizer, traces, {
      maxIterations: context.quick ? 10 : 100,
      batchSize: 2000,
    });
    const zeros = async (m: tfl.LayersModel) => {
      const kernels = m.getWeights().filter((w) => w.rank === 2);
      const values = await Promise.all(kernels.map((k) => k.data()));
      const total = values.reduce((s, v) => s + v.length, 0);
      return values.reduce((s, v) => s + v.filter((e) => e === 0).length, 0) / total;
    };
    rows.push({
      part: 'lenet',
      optimizer,
      seed: 1,
      trainSeconds,
      polishSeconds: measured.polishSeconds,
      violationBefore: measured.before.maxViolation,
      violationAfter: measured.after.maxViolation,
      certifiedShareBefore: measured.before.certifiedShare,
      certifiedShareAfter: measured.after.certifiedShare,
      sparsityBefore: await zeros(measured.collapsedBefore),
      sparsityAfter: await zeros(measured.collapsedAfter),
      accuracyBefore,
      accuracyAfter: await accuracy(model),
      accuracyCollapsedAfter: await accuracy(measured.collapsedAfter),
      stopReason: measured.stopReason,
    });
    measured.dispose();
    model.dispose();
  }
  tf.dispose([trainData.x, trainData.y, testData.x, testData.y]);
  return rows;
}

/**
 * The certificate, a certified collapse, polish, and both again: what every part reports. Polish
 * is timed alone; its trace goes to `traces` when given.
 */
async function measure(
  model: tfl.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  part: string,
  optimizer: string,
  traces: TracePoint[] | undefined,
  options: { maxIterations?: number; batchSize?: number; tol?: number } = {},
) {
  const data = {
    x,
    y,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.tol === undefined ? {} : { tol: options.tol }),
  };
  const collapsedBefore = await collapse(model, data);
  const started = performance.now();
  const result = await polish(model, {
    ...data,
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
    onIteration: ({ iteration, violation }) =>
      traces?.push({ part, optimizer, iteration, violation: Math.max(violation, 1e-6) }),
  });
  const polishSeconds = (performance.now() - started) / 1000;
  const collapsedAfter = await collapse(model, data);
  return {
    before: result.before, // polish certifies where it starts
    after: result.certificate,
    stopReason: result.stopReason,
    polishSeconds,
    collapsedBefore,
    collapsedAfter,
    dispose: () => {
      collapsedBefore.dispose();
      collapsedAfter.dispose();
    },
  };
}

/** The input rows of the first kernel ([inputs, hidden]) with a nonzero entry. */
async function keptRows(model: tfl.LayersModel, inputs: number, hidden: number): Promise<number[]> {
  const kernel = (await (model.getWeights()[0] as tf.Tensor).data()) as Float32Array;
  return Array.from({ length: inputs }, (_, i) => i).filter((i) =>
    kernel.subarray(i * hidden, (i + 1) * hidden).some((v) => v !== 0),
  );
}

/**
 * Trains `model` on (x, y) with the named optimizer and a cosine-decayed rate, and leaves it
 * compiled with `loss` (what the certificate reads). SGD, momentum and Adam are tfjs's, through
 * `model.fit` (whose shuffling is tfjs's own, not seeded); AdamW is `@spredjs/optim`'s (decoupled
 * decay 1e-4 on every weight) through `train()`, on the compiled loss plus the model's
 * regularizers (the spred layers' penalty among them). Returns the seconds it took.
 */
async function fitWith(
  model: tfl.LayersModel,
  name: OptimizerName,
  loss: LossFn,
  x: tf.Tensor,
  y: tf.Tensor,
  recipe: Recipe,
  seed: number,
): Promise<number> {
  const rate = recipe.learningRate[name];
  const cosine = (epoch: number) => rate * 0.5 * (1 + Math.cos((Math.PI * epoch) / recipe.epochs));
  const started = performance.now();
  if (name === 'adamw') {
    model.compile({ optimizer: 'sgd', loss });
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = new GroupedOptimizer(
      { kind: 'adamw', learningRate: rate, weightDecay: 1e-4 },
      [{ variables }],
    );
    try {
      await train({
        optimizer,
        data: [x, y],
        batchSize: recipe.batchSize,
        epochs: recipe.epochs,
        seed,
        schedule: cosineSchedule({ epochs: recipe.epochs }),
        keepLastFinite: false,
        loss: ([xb, yb]) =>
          tf.tidy(() => {
            const out = model.apply(xb as tf.Tensor, { training: true }) as tf.Tensor;
            const regularizers = model.calculateLosses();
            const data = tf.mean(loss(yb as tf.Tensor, out));
            return (
              regularizers.length === 0 ? data : tf.add(data, tf.addN(regularizers))
            ) as tf.Scalar;
          }),
      });
    } finally {
      optimizer.dispose();
    }
  } else {
    const optimizer =
      name === 'sgd'
        ? tf.train.sgd(rate)
        : name === 'momentum'
          ? tf.train.momentum(rate, 0.9)
          : tf.train.adam(rate);
    model.compile({ optimizer, loss });
    await model.fit(x, y, {
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch) => setLearningRate(optimizer, cosine(epoch + 1)),
      },
    });
  }
  return (performance.now() - started) / 1000;
}

/** tfjs's SGD and momentum take a new rate through `setLearningRate`; Adam reads its field each step. */
function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as unknown as { setLearningRate?: (r: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else o.learningRate = rate;
}
