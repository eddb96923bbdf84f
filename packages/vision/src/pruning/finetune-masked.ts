import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { epochPermutation } from '@spred/optim';
import { applyMasks, type KernelMask } from './masks.js';

/** Options of {@link trainMasked}. */
export interface MaskedTrainingOptions {
  readonly epochs: number;
  readonly batchSize?: number;
  /** Seed of the batch order. Default 0. */
  readonly seed?: number;
  /** Called after every epoch with its mean training loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void;
  /** Called after every step (for progress bars). */
  readonly onStep?: () => void;
  /** Transforms each training batch (e.g. `randomCropFlip`); gets the batch and a step counter to seed from. */
  readonly augment?: (batch: tf.Tensor, step: number) => tf.Tensor;
  /**
   * Decoupled weight decay (AdamW): after every step each listed variable shrinks as
   * v ← (1 − `perStep`)·v, with `perStep` = learning rate × λ. For the parameters that the spred
   * penalty does not reach (biases, batch-norm scales) and for plain training.
   */
  readonly decay?: { readonly variables: readonly tf.Variable[]; readonly perStep: number };
  readonly signal?: AbortSignal;
}

/**
 * Trains a compiled model with pruned weights held at zero (the finetune step of prune → finetune,
 * and lottery-ticket retraining): seeded mini-batches through `trainOnBatch`, the masks applied
 * before the first step and after every step.
 */
export async function trainMasked(
  model: tfl.LayersModel,
  masks: readonly KernelMask[],
  x: tf.Tensor,
  oneHot: tf.Tensor,
  options: MaskedTrainingOptions,
): Promise<number[]> {
  const n = x.shape[0] as number;
  const batchSize = options.batchSize ?? 128;
  const losses: number[] = [];
  const decay = options.decay;
  let step = 0;
  applyMasks(model, masks);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = epochPermutation(n, options.seed ?? 0, epoch);
    let total = 0;
    let batches = 0;
    for (let start = 0; start < n; start += batchSize) {
      if (options.signal?.aborted === true) return losses;
      const idx = tf.tensor1d(order.subarray(start, Math.min(n, start + batchSize)), 'int32');
      const [raw, yb] = [tf.gather(x, idx), tf.gather(oneHot, idx)];
      const xb = options.augment === undefined ? raw : options.augment(raw, step);
      const result = await model.trainOnBatch(xb, yb);
      tf.dispose([idx, raw, xb, yb]);
      total += Array.isArray(result) ? (result[0] as number) : result;
      batches++;
      step++;
      if (decay !== undefined && decay.perStep > 0)
        for (const v of decay.variables) tf.tidy(() => v.assign(tf.mul(v, 1 - decay.perStep)));
      applyMasks(model, masks);
      options.onStep?.();
    }
    losses.push(total / batches);
    options.onEpoch?.(epoch + 1, total / batches);
    await tf.nextFrame();
  }
  return losses;
}
