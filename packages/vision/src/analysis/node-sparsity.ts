import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError, tfSeed } from '@spredjs/core';
import { GroupedOptimizer, constantSchedule, cosineSchedule } from '@spredjs/optim';
import { evaluateAccuracy } from '../pruning/evaluate-accuracy.js';
import { trainMasked } from '../pruning/train-masked.js';
import { trainableVariables } from '../pruning/trainable-variables.js';

/** Node and weight sparsity of the hidden layers of a Dense MLP. */
export interface NodeSparsityReading {
  /** Share of hidden neurons whose outgoing weights have mean |w| below the threshold. */
  readonly nodeSparsity: number;
  /** Share of all Dense kernel weights with |w| below the threshold. */
  readonly weightSparsity: number;
  readonly hiddenNeurons: number;
  readonly deadNeurons: number;
}

/**
 * Reads node sparsity the way the paper defines it: a hidden neuron is dead when the mean |w| of
 * its outgoing weights (its row in the next Dense kernel) is below `threshold` (default 1e-4).
 * Weight sparsity is the share of all Dense kernel entries below the same threshold.
 *
 * @example
 * ```ts
 * const { nodeSparsity, weightSparsity } = nodeSparsity(trainedMlp);
 * ```
 */
export function nodeSparsity(
  model: tfl.LayersModel,
  options: { threshold?: number } = {},
): NodeSparsityReading {
  const threshold = options.threshold ?? 1e-4;
  const kernels = model.layers
    .filter((l) => l.getClassName() === 'Dense')
    .map((l) => l.getWeights()[0] as tf.Tensor);
  if (kernels.length < 2)
    throw new SpredInputError(
      'node sparsity needs at least two Dense layers (a hidden layer and the one reading it)',
    );
  let hidden = 0;
  let dead = 0;
  let small = 0;
  let total = 0;
  kernels.forEach((kernel, i) => {
    const values = kernel.dataSync();
    total += values.length;
    for (const v of values) if (Math.abs(v) < threshold) small++;
    if (i === 0) return;
    // Rows of this kernel are the outgoing weights of the previous layer's neurons.
    const [rows, cols] = kernel.shape as [number, number];
    hidden += rows;
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += Math.abs(values[r * cols + c] as number);
      if (sum / cols < threshold) dead++;
    }
  });
  return {
    nodeSparsity: dead / hidden,
    weightSparsity: small / total,
    hiddenNeurons: hidden,
    deadNeurons: dead,
  };
}

/** Least-squares line y = slope·x + intercept through points, with R². */
export function fitLine(
  xs: readonly number[],
  ys: readonly number[],
): { slope: number; intercept: number; r2: number } {
  if (xs.length !== ys.length || xs.length < 2)
    throw new SpredInputError('a line needs at least two points with x and y each');
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return {
    slope,
    intercept: my - slope * mx,
    r2: sxx === 0 || syy === 0 ? 1 : (sxy * sxy) / (sxx * syy),
  };
}

/**
 * The update rule of {@link nodeSparsitySweep}. The L2 term is the same for all three (its gradient
 * 2λW joins the data gradient), but what it does to a neuron whose data gradient has vanished is
 * not: under `sgd` and `momentum` its weights shrink geometrically to 0, under `adam` the step is
 * normalized, so they jitter at a magnitude of about the learning rate and never fall below a small
 * threshold.
 */
export type NodeSparsityOptimizer = 'sgd' | 'momentum' | 'adam';

/**
 * Learning-rate schedule of {@link nodeSparsitySweep}: constant, or a cosine decay (`cosineSchedule`,
 * the factor set at the start of each epoch, from 1 toward 0 at the end of the last).
 */
export type NodeSparsitySchedule = 'constant' | 'cosine';

/**
 * The base learning rate of each {@link NodeSparsityOptimizer} when none is given: `momentum` is
 * heavy-ball with β = 0.9 (an effective step of 10× its rate).
 *
 * @example
 * ```ts
 * nodeSparsityLearningRates.momentum; // 0.05
 * ```
 */
export const nodeSparsityLearningRates: Readonly<Record<NodeSparsityOptimizer, number>> = {
  sgd: 0.1,
  momentum: 0.05,
  adam: 1e-3,
};

const OPTIMIZERS: readonly NodeSparsityOptimizer[] = ['sgd', 'momentum', 'adam'];
const SCHEDULES: readonly NodeSparsitySchedule[] = ['constant', 'cosine'];

/** Options of {@link nodeSparsitySweep}. */
export interface NodeSparsitySweepOptions {
  /** Inputs [N, features] (scaled to [0, 1]) and one-hot labels [N, classes]. */
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
  readonly weightDecays: readonly number[];
  readonly activation?: 'relu' | 'swish';
  /** Hidden units. Default 1000 (the paper's 784→1000→10). */
  readonly hidden?: number;
  readonly epochs?: number;
  /** Default 256. */
  readonly batchSize?: number;
  /** Default `momentum` (see {@link NodeSparsityOptimizer}). */
  readonly optimizer?: NodeSparsityOptimizer;
  /** Base learning rate. Default: {@link nodeSparsityLearningRates} of the optimizer. */
  readonly learningRate?: number;
  /** Default `constant`. */
  readonly schedule?: NodeSparsitySchedule;
  readonly threshold?: number;
  readonly seed?: number;
  readonly onResult?: (row: NodeSparsityRow) => void;
  /** Checked between steps; the sweep returns the rows finished so far (the interrupted one included). */
  readonly signal?: AbortSignal;
}

/** One weight decay of the sweep. */
export interface NodeSparsityRow extends NodeSparsityReading {
  readonly weightDecay: number;
  /** Accuracy of the trained MLP on the training inputs (arg-max of the output vs of `y`). */
  readonly trainAccuracy: number;
  readonly seconds: number;
}

/**
 * The paper's node-sparsity experiment: for each weight decay λ, train the MLP
 * features → hidden → classes (ReLU or swish) with an L2 term λ‖W‖² on every kernel — the
 * implicit group-L1 penalty on neurons — and read node and weight sparsity. Training is
 * `@spredjs/optim`'s `train()` (through {@link trainMasked}, no masks), on seeded mini-batches, with
 * SGD, heavy-ball momentum (the default) or Adam (see {@link NodeSparsityOptimizer} for why Adam
 * leaves no weight below a small threshold) and a constant or cosine learning rate.
 *
 * @example
 * ```ts
 * const rows = await nodeSparsitySweep({ x, y, weightDecays: [0, 1e-4, 1e-3], hidden: 256, epochs: 20 });
 * ```
 */
export async function nodeSparsitySweep(
  options: NodeSparsitySweepOptions,
): Promise<NodeSparsityRow[]> {
  const kind = options.optimizer ?? 'momentum';
  if (!OPTIMIZERS.includes(kind))
    throw new SpredInputError(
      `unknown optimizer '${String(kind)}': expected one of ${OPTIMIZERS.join(', ')}`,
    );
  const scheduleName = options.schedule ?? 'constant';
  if (!SCHEDULES.includes(scheduleName))
    throw new SpredInputError(
      `unknown schedule '${String(scheduleName)}': expected one of ${SCHEDULES.join(', ')}`,
    );
  const epochs = options.epochs ?? 10;
  const learningRate = options.learningRate ?? nodeSparsityLearningRates[kind];
  const rows: NodeSparsityRow[] = [];
  const features = options.x.shape[1];
  const classes = options.y.shape[1];
  for (const [index, weightDecay] of options.weightDecays.entries()) {
    if (options.signal?.aborted === true) break;
    if (!(weightDecay >= 0))
      throw new SpredInputError(`weight decays must be ≥ 0, got ${weightDecay}`);
    const seed = (options.seed ?? 0) + 17 * index;
    const regularizer = weightDecay > 0 ? tfl.regularizers.l2({ l2: weightDecay }) : undefined;
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: options.hidden ?? 1000,
          inputShape: [features],
          activation: options.activation ?? 'relu',
          kernelInitializer: tfl.initializers.heNormal({ seed: tfSeed(seed) }),
          ...(regularizer === undefined ? {} : { kernelRegularizer: regularizer }),
        }),
        tfl.layers.dense({
          units: classes,
          activation: 'softmax',
          kernelInitializer: tfl.initializers.glorotNormal({ seed: tfSeed(seed + 1) }),
          ...(regularizer === undefined ? {} : { kernelRegularizer: regularizer }),
        }),
      ],
    });
    const optimizer = new GroupedOptimizer(
      // Adam: tf.train.adam's default ε, which model.fit used before.
      kind === 'adam'
        ? { kind, learningRate, epsilon: 1e-7 }
        : kind === 'momentum'
          ? { kind, learningRate, momentum: 0.9 }
          : { kind, learningRate },
      [{ variables: trainableVariables(model) }],
    );
    const started = performance.now();
    try {
      await trainMasked(model, [], options.x, options.y, {
        optimizer,
        epochs,
        batchSize: options.batchSize ?? 256,
        seed,
        schedule: scheduleName === 'cosine' ? cosineSchedule({ epochs }) : constantSchedule(),
        // Keras' categorical cross-entropy of the softmax output (the layers' L2 terms are added).
        loss: (y, probabilities) =>
          tf.mean(tfl.metrics.categoricalCrossentropy(y, probabilities)) as tf.Scalar,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } finally {
      optimizer.dispose();
    }
    const labels = tf.tidy(() => tf.argMax(options.y, 1).dataSync());
    const row: NodeSparsityRow = {
      weightDecay,
      ...nodeSparsity(
        model,
        options.threshold === undefined ? {} : { threshold: options.threshold },
      ),
      trainAccuracy: evaluateAccuracy(model, options.x, labels),
      seconds: (performance.now() - started) / 1000,
    };
    model.dispose();
    rows.push(row);
    options.onResult?.(row);
  }
  return rows;
}
