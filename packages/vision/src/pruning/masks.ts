import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError, tfSeed } from '@spredjs/core';

/** The keep-mask (1 keep, 0 pruned) of one prunable kernel. */
export interface KernelMask {
  /** The kernel variable's name (e.g. `dense_Dense1/kernel`). */
  readonly name: string;
  /** 0/1 float32 tensor of the kernel's shape; owned by the mask set. */
  readonly mask: tf.Tensor;
}

/**
 * Options every mask of the pruning protocol takes alike, so that no method wins or loses by
 * emptying a layer.
 */
export interface MaskOptions {
  /**
   * Keep at least this many weights in every prunable kernel (all of a smaller one): after the
   * method's own cut, a kernel with fewer kept keeps its `minimumPerLayer` best-scoring weights.
   * Default 0 (off). The kept total then exceeds total/compression by at most
   * layers × minimumPerLayer.
   */
  readonly minimumPerLayer?: number;
}

/** The prunable weights of a model: the kernels of its Dense and Conv2D layers (biases and norms stay dense). */
export function prunableKernels(model: tfl.LayersModel): tf.Variable[] {
  const kernels = model.trainableWeights
    .filter((w) => /kernel$/.test(w.originalName) && w.shape.length >= 2)
    .map((w) => w.read() as tf.Variable);
  if (kernels.length === 0)
    throw new SpredInputError('the model has no Dense or Conv2D kernels to prune');
  return kernels;
}

/**
 * Keeps the weights with |w| > threshold (spred's prune step after training: its zeros are
 * near-exact); with `minimumPerLayer`, a kernel left with fewer keeps its largest |w|.
 *
 * @example
 * ```ts
 * const masks = await thresholdMasks(await collapse(sparse, { threshold: 1e-3 }), 0);
 * ```
 */
export async function thresholdMasks(
  model: tfl.LayersModel,
  threshold: number,
  options: MaskOptions = {},
): Promise<KernelMask[]> {
  if (!(threshold >= 0)) throw new SpredInputError(`threshold must be ≥ 0, got ${threshold}`);
  const minimum = checkMinimum(options.minimumPerLayer);
  const masks: KernelMask[] = [];
  for (const k of prunableKernels(model)) {
    const values = await readDisposed(tf.tidy(() => tf.abs(k)));
    const mask = Float32Array.from(values, (v) => (v > threshold ? 1 : 0));
    keepAtLeast(values, mask, minimum);
    masks.push({ name: k.name, mask: tf.tensor(mask, k.shape) });
  }
  return masks;
}

/**
 * Magnitude pruning: keeps the 1/compression share of kernel weights with the largest |w|, over all
 * layers at once (`'global'`, default) or in every layer alike (`'layerwise'`, which never empties
 * a layer — global pruning can, at high compression, and then the network is cut).
 *
 * @example
 * ```ts
 * const masks = await magnitudeMasks(trained, 10); // keep the largest tenth of |w|
 * applyMasks(trained, masks);
 * ```
 */
export async function magnitudeMasks(
  model: tfl.LayersModel,
  compression: number,
  scope: 'global' | 'layerwise' = 'global',
  options: MaskOptions = {},
): Promise<KernelMask[]> {
  const kernels = prunableKernels(model);
  const minimum = options.minimumPerLayer ?? 0;
  if (scope === 'global') return topScoreMasks(kernels, compression, (k) => tf.abs(k), minimum);
  const masks: KernelMask[] = [];
  for (const k of kernels)
    masks.push(...(await topScoreMasks([k], compression, (v) => tf.abs(v), minimum)));
  return masks;
}

/**
 * Random pruning: keeps a seeded random 1/compression share of the weights of every kernel (with
 * `minimumPerLayer`, a kernel left with fewer keeps the ones with the smallest uniform draws).
 *
 * @example
 * ```ts
 * const masks = await randomMasks(model, 10, 7);
 * ```
 */
export async function randomMasks(
  model: tfl.LayersModel,
  compression: number,
  seed = 0,
  options: MaskOptions = {},
): Promise<KernelMask[]> {
  checkCompression(compression);
  const minimum = checkMinimum(options.minimumPerLayer);
  const masks: KernelMask[] = [];
  for (const [i, k] of prunableKernels(model).entries()) {
    const values = await readDisposed(
      tf.tidy(() => tf.randomUniform(k.shape, 0, 1, 'float32', tfSeed(seed + i))),
    );
    const mask = Float32Array.from(values, (v) => (v < 1 / compression ? 1 : 0));
    // The best-scoring weights of the floor are those with the smallest draws.
    if (minimum > 0)
      keepAtLeast(
        Float32Array.from(values, (v) => -v),
        mask,
        minimum,
      );
    masks.push({ name: k.name, mask: tf.tensor(mask, k.shape) });
  }
  return masks;
}

/**
 * SNIP (Lee et al. 2019): keeps the weights with the largest connection sensitivity |∂L/∂w · w| on
 * one batch, at the model's current (usually initial) weights, globally across layers.
 *
 * @example
 * ```ts
 * const masks = await snipMasks(model, xBatch, oneHotBatch, 10);
 * ```
 */
export async function snipMasks(
  model: tfl.LayersModel,
  x: tf.Tensor,
  oneHot: tf.Tensor,
  compression: number,
  options: MaskOptions = {},
): Promise<KernelMask[]> {
  const kernels = prunableKernels(model);
  const { grads, value } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(oneHot, model.apply(x, { training: true }) as tf.Tensor),
    kernels,
  );
  value.dispose();
  try {
    return await topScoreMasks(
      kernels,
      compression,
      (k) => tf.abs(tf.mul(grads[k.name] as tf.Tensor, k)),
      options.minimumPerLayer ?? 0,
    );
  } finally {
    tf.dispose(Object.values(grads));
  }
}

/** Multiplies every kernel by its mask (pruned weights become exact zeros). */
export function applyMasks(model: tfl.LayersModel, masks: readonly KernelMask[]): void {
  if (masks.length === 0) return;
  const byName = new Map(masks.map((m) => [m.name, m.mask]));
  for (const k of prunableKernels(model)) {
    const mask = byName.get(k.name);
    if (mask !== undefined) tf.tidy(() => k.assign(tf.mul(k, mask)));
  }
}

/** Per-kernel counts and the whole model's compression ratio (total prunable weights / kept). */
export interface PruneSummary {
  readonly compression: number;
  readonly total: number;
  readonly kept: number;
  readonly layers: readonly { name: string; total: number; kept: number; sparsity: number }[];
}

/**
 * Compression ratio and per-layer sparsity of a mask set.
 *
 * @example
 * ```ts
 * const { compression, layers } = await summarizeMasks(masks);
 * ```
 */
export async function summarizeMasks(masks: readonly KernelMask[]): Promise<PruneSummary> {
  // One read for every kernel's count (a 0/1 float32 sum is exact up to 2²⁴ kept weights).
  const counts =
    masks.length === 0
      ? new Float32Array(0)
      : await readDisposed(tf.tidy(() => tf.stack(masks.map((m) => tf.sum(m.mask)))));
  const layers = masks.map((m, i) => {
    const kept = counts[i] as number;
    return { name: m.name, total: m.mask.size, kept, sparsity: 1 - kept / m.mask.size };
  });
  const total = layers.reduce((s, l) => s + l.total, 0);
  const kept = layers.reduce((s, l) => s + l.kept, 0);
  return { compression: kept === 0 ? Infinity : total / kept, total, kept, layers };
}

/** Disposes the tensors of a mask set. */
export function disposeMasks(masks: readonly KernelMask[]): void {
  tf.dispose(masks.map((m) => m.mask));
}

/** Rejects a compression ratio below 1 (or not a number). */
export function checkCompression(compression: number): void {
  if (!(Number.isFinite(compression) && compression >= 1))
    throw new SpredInputError(`compression must be a number ≥ 1, got ${compression}`);
}

/** `minimumPerLayer` checked (a whole number ≥ 0; undefined is 0). */
function checkMinimum(minimum: number | undefined): number {
  const m = minimum ?? 0;
  if (!(Number.isInteger(m) && m >= 0))
    throw new SpredInputError(`minimumPerLayer must be a whole number ≥ 0, got ${m}`);
  return m;
}

/**
 * Keeps the globally top-scoring total/compression weights (ties broken by the first seen); then
 * every kernel with fewer than `minimumPerLayer` kept keeps its `minimumPerLayer` best-scoring
 * ones (the per-layer floor of {@link MaskOptions}).
 *
 * @example
 * ```ts
 * const masks = await topScoreMasks(prunableKernels(model), 10, (k) => tf.abs(k), 5);
 * ```
 */
export async function topScoreMasks(
  kernels: readonly tf.Variable[],
  compression: number,
  score: (k: tf.Variable, index: number) => tf.Tensor,
  minimumPerLayer = 0,
): Promise<KernelMask[]> {
  checkCompression(compression);
  const minimum = checkMinimum(minimumPerLayer);
  const scores = kernels.map((k, i) => tf.tidy(() => score(k, i)));
  try {
    const perKernel = await readAll(scores);
    const all = concatenated(perKernel);
    const keep = Math.max(1, Math.round(all.length / compression));
    const sorted = Float32Array.from(all).sort();
    const cut = sorted[all.length - keep] as number;
    // Keep scores above the cut, and exactly enough of those equal to it.
    let ties = keep - all.filter((v) => v > cut).length;
    return kernels.map((k, i) => {
      const values = perKernel[i] as Float32Array;
      const mask = new Float32Array(values.length);
      values.forEach((v, j) => {
        if (v > cut) mask[j] = 1;
        else if (v === cut && ties > 0) {
          mask[j] = 1;
          ties--;
        }
      });
      keepAtLeast(values, mask, minimum);
      return { name: k.name, mask: tf.tensor(mask, k.shape) };
    });
  } finally {
    tf.dispose(scores);
  }
}

/**
 * The per-layer floor: when `mask` keeps fewer than `minimum` weights, it also keeps the
 * `minimum` best-scoring ones (ties broken by the first seen; all of a smaller kernel).
 */
function keepAtLeast(scores: ArrayLike<number>, mask: Float32Array, minimum: number): void {
  if (minimum === 0 || mask.reduce((s, v) => s + v, 0) >= minimum) return;
  const order = Array.from({ length: mask.length }, (_, j) => j).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  for (const j of order.slice(0, minimum)) mask[j] = 1;
}

/**
 * The values of several tensors, one after another, as one array (for global cuts across layers),
 * read with `await data()`.
 *
 * @example
 * ```ts
 * const weights = await flatValues(prunableKernels(model)); // every kernel weight, layer by layer
 * ```
 */
export async function flatValues(tensors: readonly tf.Tensor[]): Promise<Float32Array> {
  return concatenated(await readAll(tensors));
}

/** Each tensor's values as float32, read with `await data()` one after another. */
async function readAll(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  const values: Float32Array[] = [];
  for (const t of tensors) values.push(Float32Array.from(await t.data()));
  return values;
}

/** One array holding several, one after another. */
function concatenated(parts: readonly Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  return all;
}

/** The values of a tensor made for the read, read with `await data()`, then disposed. */
async function readDisposed(t: tf.Tensor): Promise<Float32Array> {
  try {
    return Float32Array.from(await t.data());
  } finally {
    t.dispose();
  }
}
