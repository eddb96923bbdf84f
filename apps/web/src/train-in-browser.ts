import { SpredInputError, tfSeed } from '@spredjs/core';
import { collapse, polish, SpredKernelLayer, spredify } from '@spredjs/layers';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { webgpuOffered } from './webgpu-offered.js';

/** The backends the page offers: tfjs's own webgl and cpu, and webgpu where the browser has it. */
export type BrowserBackend = 'webgl' | 'cpu' | 'webgpu';

/** What {@link trainInBrowser} reports after every step. */
export interface StepReport {
  /** 1-based. */
  readonly step: number;
  /** The training objective: cross-entropy + the spred layers' penalty κ(‖U‖² + ‖W‖²). */
  readonly loss: number;
  /** Share (0…1) of kernel entries with |u·w| ≤ `liveThreshold`: the live picture, not the answer. */
  readonly sparsity: number;
  /**
   * |u·w| of the first kernel, row-major [inputs, hidden] (20 × 16): row i is input i's weights,
   * so a row fading to zero is an input the model drops.
   */
  readonly inputWeights: Float32Array;
}

/** Options of {@link trainInBrowser}; every field has a default that shows sparsity in seconds. */
export interface TrainInBrowserOptions {
  readonly backend: BrowserBackend;
  /** Adam steps on the full batch. Default 150. */
  readonly steps?: number;
  /** κ of every spred layer: an L1 penalty 2κ‖kernel‖₁. Default 3e-3. */
  readonly kappa?: number;
  /** Entries |u·w| at most this count as near zero in the live sparsity of each step. Default 1e-3. */
  readonly liveThreshold?: number;
  /** Adam's learning rate. Default 0.04. */
  readonly learningRate?: number;
  /** Seed of the data and the initial kernels. Default 0. */
  readonly seed?: number;
  /**
   * Called after every step with one read of the loss and the sparsity; awaited. Without it only
   * the first and the last step are read.
   */
  readonly onStep?: (report: StepReport) => void | Promise<void>;
}

/** The outcome of one run of {@link trainInBrowser}. */
export interface TrainInBrowserResult {
  /** The backend that ran, as tfjs names it. */
  readonly backend: string;
  readonly steps: number;
  readonly lossFirst: number;
  readonly lossLast: number;
  /** polish's certificate: every first-order condition holds within 1e-4 of 2κ. */
  readonly certified: boolean;
  /** Largest violation relative to 2κ, after Adam and after polish. */
  readonly violationBefore: number;
  readonly violationAfter: number;
  readonly polishSeconds: number;
  /** Exact zeros in the collapsed model's kernels, of `total` kernel entries. */
  readonly zeros: number;
  readonly total: number;
  /** |w| of the collapsed model's first kernel, row-major [inputs, hidden]: exact zeros where dropped. */
  readonly inputWeights: Float32Array;
  /** Inputs whose whole row of the first kernel is exactly zero (dropped by the model). */
  readonly droppedInputs: number[];
  /** Exact zeros among the first kernel's rows of the uninformative inputs, of `noiseTotal`. */
  readonly noiseZeros: number;
  readonly noiseTotal: number;
  /** max |polished spred model − collapsed model| over the logits of the training inputs. */
  readonly maxOutputChange: number;
  readonly seconds: number;
}

/** The synthetic task: 20 standard-normal inputs, the class is the largest of the first 3. */
export const INPUTS = 20;
export const INFORMATIVE = 3;
export const HIDDEN = 16;
const SAMPLES = 256;

/**
 * `samples` inputs of the task and their classes (seeded: the same seed gives the same data on
 * every backend): 20 standard-normal inputs, the class is the largest of the first 3.
 */
export function taskData(samples: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = tf.randomNormal([samples, INPUTS], 0, 1, 'float32', tfSeed(seed));
  const y = tf.tidy(() =>
    tf.oneHot(tf.argMax(tf.slice(x, [0, 0], [samples, INFORMATIVE]), 1), INFORMATIVE),
  );
  return { x: x as tf.Tensor2D, y: y as tf.Tensor2D };
}

async function useBackend(backend: BrowserBackend): Promise<void> {
  if (backend === 'webgpu') {
    const offer = await webgpuOffered();
    if (!offer.offered)
      throw new SpredInputError(`backend 'webgpu' was asked for, but ${offer.detail}`);
  }
  if (!(await tf.setBackend(backend)))
    throw new SpredInputError(`backend '${backend}' was asked for, but tfjs could not start it`);
  await tf.ready();
}

/** Entries |u·w| ≤ threshold over every spred kernel, as a scalar count (the live sparsity). */
function kernelZeros(model: tf.LayersModel, threshold: number): tf.Scalar {
  return tf.tidy(
    () =>
      tf.addN(
        model.layers
          .filter((layer) => layer instanceof SpredKernelLayer)
          .map((layer) => {
            const [u, w] = layer.getWeights() as [tf.Tensor, tf.Tensor];
            return tf.sum(tf.cast(tf.lessEqual(tf.abs(tf.mul(u, w)), threshold), 'float32'));
          }),
      ) as tf.Scalar,
  );
}

/** |u·w| of the first spred kernel, flattened row-major. */
function firstKernel(model: tf.LayersModel): tf.Tensor1D {
  const layer = model.layers.find((l) => l instanceof SpredKernelLayer);
  if (layer === undefined) throw new Error('the model has no spred layer');
  const [u, w] = layer.getWeights() as [tf.Tensor, tf.Tensor];
  return tf.reshape(tf.abs(tf.mul(u, w)), [-1]);
}

/**
 * Builds a 20→16→3 tanh MLP (smooth, so that polish's L-BFGS converges fast), `spredify`s it (κ on both factors of each kernel, i.e. L1 on the kernel),
 * trains it with Adam on the data loss plus the model's own losses (the spred layers' penalty),
 * then finishes with `polish` on the full batch (exact zeros, the stationarity certificate) and
 * `collapse(model, { x, y })`s it where zero is certified, and compares the two models. Only 3 of
 * the 20 inputs carry the class, so the L1 penalty zeroes most of the first kernel's other 17
 * rows. Every read is `await data()`, so it runs on webgpu, where synchronous reads are not
 * allowed.
 *
 * @example
 * ```ts
 * const result = await trainInBrowser({ backend: 'webgl', onStep: (r) => draw(r.loss) });
 * console.log(`${result.zeros} of ${result.total} weights are exact zeros`);
 * ```
 */
export async function trainInBrowser(
  options: TrainInBrowserOptions,
): Promise<TrainInBrowserResult> {
  const steps = options.steps ?? 150;
  const kappa = options.kappa ?? 3e-3;
  const threshold = options.liveThreshold ?? 1e-3;
  const seed = options.seed ?? 0;
  if (!(Number.isInteger(steps) && steps >= 1))
    throw new SpredInputError(`steps must be a positive integer, got ${steps}`);
  await useBackend(options.backend);
  const started = performance.now();

  const { x, y } = taskData(SAMPLES, seed);
  const plain = tf.sequential({
    layers: [
      tf.layers.dense({
        units: HIDDEN,
        inputShape: [INPUTS],
        activation: 'tanh',
        kernelInitializer: tf.initializers.glorotNormal({ seed: tfSeed(seed + 1) }),
      }),
      tf.layers.dense({
        units: INFORMATIVE,
        kernelInitializer: tf.initializers.glorotNormal({ seed: tfSeed(seed + 2) }),
      }),
    ],
  });
  const sparse = await spredify(plain, { kappa });
  plain.dispose();
  const variables = sparse.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const optimizer = tf.train.adam(options.learningRate ?? 0.04);
  const entries = INPUTS * HIDDEN + HIDDEN * INFORMATIVE;

  let lossFirst = Number.NaN;
  let lossLast = Number.NaN;
  for (let step = 1; step <= steps; step++) {
    const loss = optimizer.minimize(
      () =>
        tf.tidy(() => {
          const logits = sparse.apply(x, { training: true }) as tf.Tensor;
          return tf.addN([tf.losses.softmaxCrossEntropy(y, logits), ...sparse.calculateLosses()]);
        }) as tf.Scalar,
      true,
      variables,
    ) as tf.Scalar;
    // without a listener only the first and last losses are read: the steps between queue up
    // on the backend instead of each waiting for a read
    if (options.onStep === undefined && step !== 1 && step !== steps) {
      loss.dispose();
      continue;
    }
    const read = tf.tidy(() =>
      tf.concat([tf.stack([loss, kernelZeros(sparse, threshold)]), firstKernel(sparse)]),
    );
    loss.dispose();
    const values = await read.data();
    read.dispose();
    const [value, zeros] = [values[0] as number, values[1] as number];
    if (step === 1) lossFirst = value;
    lossLast = value;
    await options.onStep?.({
      step,
      loss: value,
      sparsity: zeros / entries,
      inputWeights: Float32Array.from(values.subarray(2)),
    });
  }

  // The finish: full batch, under the same loss, until the certificate holds; then the zeros.
  sparse.compile({
    optimizer: 'sgd',
    loss: (labels: tf.Tensor, logits: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(labels, logits, undefined, undefined, tf.Reduction.NONE),
  });
  const polishStarted = performance.now();
  const polished = await polish(sparse, { x, y });
  const polishSeconds = (performance.now() - polishStarted) / 1000;
  const collapsed = await collapse(sparse, { x, y });
  const change = tf.tidy(() =>
    tf.max(tf.abs(tf.sub(sparse.predict(x) as tf.Tensor, collapsed.predict(x) as tf.Tensor))),
  );
  const maxOutputChange = (await change.data())[0] as number;
  change.dispose();
  const kernels = collapsed.layers.map((layer) => layer.getWeights()[0] as tf.Tensor);
  const values = await Promise.all(kernels.map((kernel) => kernel.data()));
  const zeros = values.reduce((n, v) => n + v.filter((e) => e === 0).length, 0);
  const total = values.reduce((n, v) => n + v.length, 0);
  // the first kernel is [inputs, hidden], row-major: rows ≥ INFORMATIVE are the noise inputs
  const first = values[0] as Float32Array;
  const noise = first.subarray(INFORMATIVE * HIDDEN);
  const droppedInputs = Array.from({ length: INPUTS }, (_, i) => i).filter((i) =>
    first.subarray(i * HIDDEN, (i + 1) * HIDDEN).every((v) => v === 0),
  );
  const result: TrainInBrowserResult = {
    backend: tf.getBackend(),
    steps,
    lossFirst,
    lossLast,
    certified: polished.certificate.certified,
    violationBefore: polished.before.maxViolation,
    violationAfter: polished.certificate.maxViolation,
    polishSeconds,
    zeros,
    total,
    inputWeights: first.map(Math.abs),
    droppedInputs,
    noiseZeros: noise.filter((e) => e === 0).length,
    noiseTotal: noise.length,
    maxOutputChange,
    seconds: (performance.now() - started) / 1000,
  };
  tf.dispose([x, y]);
  optimizer.dispose();
  sparse.dispose();
  collapsed.dispose();
  return result;
}
