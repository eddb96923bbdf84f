import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import {
  checkCompression,
  disposeMasks,
  prunableKernels,
  topScoreMasks,
  type KernelMask,
  type MaskOptions,
} from './masks.js';

/** Options of {@link synflowMasks}. */
export interface SynflowOptions extends MaskOptions {
  /** Rounds n of the exponential schedule (the paper: 100). Default 100. */
  readonly iterations?: number;
  /**
   * Called after every round with its masks (owned by synflowMasks: read them during the call; a
   * returned promise is awaited, so they can be read with `await data()`).
   */
  readonly onRound?: (round: number, masks: readonly KernelMask[]) => void | Promise<void>;
}

/**
 * SynFlow (Tanaka et al. 2020): data-free iterative pruning by synaptic flow. With every weight of
 * the model replaced by its absolute value and batch-norm in inference mode, the flow is
 * R = 1ᵀ f(1), the summed logits of an all-ones input of `inputShape` (batch 1), and the score of
 * a kernel weight is |θ · ∂R/∂θ|. Round k of n keeps the globally top total·(1/compression)^(k/n)
 * scores, the pruned weights held at zero in the next rounds' flow, so the last round keeps
 * total/compression (plus the per-layer floor, applied at every round so that no round cuts the
 * flow through a layer). The model's weights are restored afterwards.
 *
 * Numerical safety: the reference scores in float64; here R, a product of one gain per layer, could
 * overflow float32 in a deep net. So every kernel is divided by its mean absolute row sum (its gain
 * on an all-ones input, Σ|θ| / output units) before each round's flow. In a network whose biases
 * are zero and whose batch norms are at their initial statistics (any fresh init) R is
 * positively homogeneous in each kernel, so this multiplies every score by one common constant and
 * leaves the ranking exactly the reference's; with nonzero biases it gives them more weight in the
 * flow. A flow that is still not finite is an error, not a silent ranking of garbage.
 *
 * @example
 * ```ts
 * const masks = await synflowMasks(model, [32, 32, 3], 100, { iterations: 100 });
 * applyMasks(model, masks);
 * ```
 */
export async function synflowMasks(
  model: tfl.LayersModel,
  inputShape: readonly number[],
  compression: number,
  options: SynflowOptions = {},
): Promise<KernelMask[]> {
  checkCompression(compression);
  const iterations = options.iterations ?? 100;
  if (!(Number.isInteger(iterations) && iterations >= 1))
    throw new SpredInputError(`iterations must be a whole number ≥ 1, got ${iterations}`);
  const kernels = prunableKernels(model);
  const weights = model.weights.map((w) => w.read() as tf.Variable);
  const saved = weights.map((w) => w.clone());
  const magnitudes = kernels.map((k) => tf.tidy(() => tf.abs(k)));
  let masks: KernelMask[] = kernels.map((k) => ({ name: k.name, mask: tf.onesLike(k) }));
  try {
    for (const w of weights) tf.tidy(() => w.assign(tf.abs(w)));
    for (let round = 1; round <= iterations; round++) {
      const scores = await flowScores(model, kernels, magnitudes, masks, inputShape);
      try {
        const next = await topScoreMasks(
          kernels,
          compression ** (round / iterations),
          (_, i) => (scores[i] as tf.Tensor).clone(),
          options.minimumPerLayer ?? 0,
        );
        disposeMasks(masks);
        masks = next;
        await options.onRound?.(round, masks);
      } finally {
        tf.dispose(scores);
      }
    }
    return masks;
  } catch (error) {
    disposeMasks(masks);
    throw error;
  } finally {
    weights.forEach((w, i) => w.assign(saved[i] as tf.Tensor));
    tf.dispose([...saved, ...magnitudes]);
  }
}

/**
 * One round's SynFlow scores |θ · ∂R/∂θ| (up to one common factor), kernels set to |θ₀| ⊙ mask
 * divided by their gains; pruned weights score −1, below every kept one, so they stay pruned.
 */
async function flowScores(
  model: tfl.LayersModel,
  kernels: readonly tf.Variable[],
  magnitudes: readonly tf.Tensor[],
  masks: readonly KernelMask[],
  inputShape: readonly number[],
): Promise<tf.Tensor[]> {
  const masked = kernels.map((_, i) =>
    tf.mul(magnitudes[i] as tf.Tensor, (masks[i] as KernelMask).mask),
  );
  try {
    // Every kernel's Σ|θ| in one read.
    const sums = tf.tidy(() => tf.stack(masked.map((m) => tf.sum(m))));
    const values = await sums.data();
    sums.dispose();
    kernels.forEach((k, i) =>
      tf.tidy(() => {
        const outputs = k.shape[k.shape.length - 1] as number;
        const gain = (values[i] as number) / outputs;
        const m = masked[i] as tf.Tensor;
        k.assign(gain > 0 ? tf.div(m, gain) : m);
      }),
    );
  } finally {
    tf.dispose(masked);
  }
  const ones = tf.ones([1, ...inputShape]);
  try {
    const { value, grads } = tf.variableGrads(
      () => tf.sum(model.apply(ones, { training: false }) as tf.Tensor),
      [...kernels],
    );
    let flow: number;
    try {
      flow = (await value.data())[0] as number;
    } finally {
      value.dispose();
    }
    if (!Number.isFinite(flow)) {
      tf.dispose(Object.values(grads));
      throw new SpredInputError(
        `SynFlow: the synaptic flow of an all-ones input is ${flow} even with every kernel scaled to gain 1`,
      );
    }
    return kernels.map((k, i) =>
      tf.tidy(() => {
        // A kernel the flow no longer reaches has no gradient: its scores are 0.
        const grad = grads[k.name] ?? tf.zerosLike(k);
        const score = tf.abs(tf.mul(grad, k));
        grad.dispose();
        return tf.where(tf.cast((masks[i] as KernelMask).mask, 'bool'), score, tf.scalar(-1));
      }),
    );
  } finally {
    ones.dispose();
  }
}
