import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { epochPermutation, type GroupedOptimizer } from '@spred/optim';
import { applyMasks, type KernelMask } from './masks.js';

/** Options of {@link trainMasked}. */
export interface MaskedTrainingOptions {
  /**
   * Steps the model's trainable variables: e.g. AdamW with a small decay on the dense weights and
   * none on spred factors (their penalty is in the loss through the layers' regularizers).
   */
  readonly optimizer: GroupedOptimizer;
  readonly epochs: number;
  readonly batchSize?: number;
  /** Seed of the batch order. Default 0. */
  readonly seed?: number;
  /** Data loss of one batch. Default: softmax cross-entropy of the model's logits. */
  readonly loss?: (oneHot: tf.Tensor, output: tf.Tensor) => tf.Scalar;
  /** Called after every epoch with its mean training loss (data loss + regularizers). */
  readonly onEpoch?: (epoch: number, loss: number) => void;
  /** Called after every step (for progress bars). */
  readonly onStep?: () => void;
  /** Transforms each training batch (e.g. `randomCropFlip`); gets the batch and a step counter to seed from. */
  readonly augment?: (batch: tf.Tensor, step: number) => tf.Tensor;
  readonly signal?: AbortSignal;
}

const softmaxCrossEntropy = (y: tf.Tensor, logits: tf.Tensor) =>
  tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;

/**
 * Trains a model with pruned weights held at zero (the finetune step of prune → finetune, and
 * lottery-ticket retraining): seeded mini-batches, each step the data loss plus the model's
 * regularization losses (so spred layers' penalty counts) through `optimizer`, the masks applied
 * before the first step and after every step. Batch norms train in training mode.
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
  const dataLoss = options.loss ?? softmaxCrossEntropy;
  const losses: number[] = [];
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
      const result = options.optimizer.step(() => {
        const output = model.apply(xb, { training: true }) as tf.Tensor;
        return model
          .calculateLosses()
          .reduce<tf.Scalar>((sum, l) => tf.add(sum, l), dataLoss(yb, output));
      });
      tf.dispose([idx, raw, xb, yb]);
      total += result.loss;
      batches++;
      step++;
      applyMasks(model, masks);
      options.onStep?.();
    }
    losses.push(total / batches);
    options.onEpoch?.(epoch + 1, total / batches);
    await tf.nextFrame();
  }
  return losses;
}
