import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError, tfSeed } from '@spred/core';

/** The keep-mask (1 keep, 0 pruned) of one prunable kernel. */
export interface KernelMask {
  /** The kernel variable's name (e.g. `dense_Dense1/kernel`). */
  readonly name: string;
  /** 0/1 float32 tensor of the kernel's shape; owned by the mask set. */
  readonly mask: tf.Tensor;
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

/** Keeps the weights with |w| > threshold (spred's prune step after training: its zeros are near-exact). */
export function thresholdMasks(model: tfl.LayersModel, threshold: number): KernelMask[] {
  if (!(threshold >= 0)) throw new SpredInputError(`threshold must be ≥ 0, got ${threshold}`);
  return prunableKernels(model).map((k) => ({
    name: k.name,
    mask: tf.tidy(() => tf.cast(tf.greater(tf.abs(k), threshold), 'float32')),
  }));
}

/**
 * Magnitude pruning: keeps the 1/compression share of kernel weights with the largest |w|, over all
 * layers at once (`'global'`, default) or in every layer alike (`'layerwise'`, which never empties
 * a layer — global pruning can, at high compression, and then the network is cut).
 */
export function magnitudeMasks(
  model: tfl.LayersModel,
  compression: number,
  scope: 'global' | 'layerwise' = 'global',
): KernelMask[] {
  const kernels = prunableKernels(model);
  if (scope === 'global') return topScoreMasks(kernels, compression, (k) => tf.abs(k));
  return kernels.flatMap((k) => topScoreMasks([k], compression, (v) => tf.abs(v)));
}

/** Random pruning: keeps a seeded random 1/compression share of the weights of every kernel. */
export function randomMasks(model: tfl.LayersModel, compression: number, seed = 0): KernelMask[] {
  checkCompression(compression);
  return prunableKernels(model).map((k, i) => ({
    name: k.name,
    mask: tf.tidy(() =>
      tf.cast(
        tf.less(tf.randomUniform(k.shape, 0, 1, 'float32', tfSeed(seed + i)), 1 / compression),
        'float32',
      ),
    ),
  }));
}

/**
 * SNIP (Lee et al. 2019): keeps the weights with the largest connection sensitivity |∂L/∂w · w| on
 * one batch, at the model's current (usually initial) weights, globally across layers.
 */
export function snipMasks(
  model: tfl.LayersModel,
  x: tf.Tensor,
  oneHot: tf.Tensor,
  compression: number,
): KernelMask[] {
  const kernels = prunableKernels(model);
  const { grads, value } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(oneHot, model.apply(x, { training: true }) as tf.Tensor),
    kernels,
  );
  value.dispose();
  try {
    return topScoreMasks(kernels, compression, (k) =>
      tf.abs(tf.mul(grads[k.name] as tf.Tensor, k)),
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

/** Compression ratio and per-layer sparsity of a mask set. */
export function summarizeMasks(masks: readonly KernelMask[]): PruneSummary {
  const layers = masks.map((m) => {
    const kept = tf.tidy(() => tf.sum(m.mask).dataSync()[0] as number);
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

function checkCompression(compression: number): void {
  if (!(Number.isFinite(compression) && compression >= 1))
    throw new SpredInputError(`compression must be a number ≥ 1, got ${compression}`);
}

/** Keeps the globally top-scoring total/compression weights (ties broken by the first seen). */
function topScoreMasks(
  kernels: readonly tf.Variable[],
  compression: number,
  score: (k: tf.Variable) => tf.Tensor,
): KernelMask[] {
  checkCompression(compression);
  const scores = kernels.map((k) => tf.tidy(() => score(k)));
  try {
    const all = flatValues(scores);
    const keep = Math.max(1, Math.round(all.length / compression));
    const sorted = Float32Array.from(all).sort();
    const cut = sorted[all.length - keep] as number;
    // Keep scores above the cut, and exactly enough of those equal to it.
    let ties = keep - all.filter((v) => v > cut).length;
    return kernels.map((k, i) => {
      const values = (scores[i] as tf.Tensor).dataSync();
      const mask = new Float32Array(values.length);
      values.forEach((v, j) => {
        if (v > cut) mask[j] = 1;
        else if (v === cut && ties > 0) {
          mask[j] = 1;
          ties--;
        }
      });
      return { name: k.name, mask: tf.tensor(mask, k.shape) };
    });
  } finally {
    tf.dispose(scores);
  }
}

/** The values of several tensors, one after another, as one array (for global cuts across layers). */
export function flatValues(tensors: readonly tf.Tensor[]): Float32Array {
  const all = new Float32Array(tensors.reduce((s, t) => s + t.size, 0));
  let offset = 0;
  for (const t of tensors) {
    all.set(t.dataSync(), offset);
    offset += t.size;
  }
  return all;
}
