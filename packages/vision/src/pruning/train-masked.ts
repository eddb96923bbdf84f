import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { train, type GroupedOptimizer, type LearningRateSchedule } from '@spredjs/optim';
import { applyMasks, type KernelMask } from './masks.js';

/** Options of {@link trainMasked}. */
export interface MaskedTrainingOptions {
  /**
   * Steps the model's trainable variables: e.g. AdamW with a small decay on the dense weights and
   * none on spred factors (their penalty is in the loss through the layers' regularizers).
   */
  readonly optimizer: GroupedOptimizer;
  readonly epochs: number;
  /** Multiplies the optimizer's rates at the start of each epoch (e.g. `cosineSchedule`). Default: constant. */
  readonly schedule?: LearningRateSchedule;
  /** Default 128. */
  readonly batchSize?: number;
  /** Seed of the batch order. Default 0. */
  readonly seed?: number;
  /** Data loss of one batch. Default: softmax cross-entropy of the model's logits. */
  readonly loss?: (oneHot: tf.Tensor, output: tf.Tensor) => tf.Scalar;
  /** Called after every epoch with its mean training loss (data loss + regularizers). */
  readonly onEpoch?: (epoch: number, loss: number) => void;
  /** Called after every step (for progress bars). */
  readonly onStep?: () => void;
  /** Transforms each training batch (e.g. `randomCropFlip`); gets the batch and a step counter (from 0) to seed from. */
  readonly augment?: (batch: tf.Tensor, step: number) => tf.Tensor;
  readonly signal?: AbortSignal;
  /**
   * Layers whose regularization losses the optimizer applies itself (spred layers whose penalty is
   * folded in as a group's coupled `l2`): left out of the loss, so they do not count twice.
   */
  readonly foldedLayers?: readonly tfl.layers.Layer[];
}

const softmaxCrossEntropy = (y: tf.Tensor, logits: tf.Tensor) =>
  tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;

/**
 * Trains a model with pruned weights held at zero (the finetune step of prune → finetune, and
 * lottery-ticket retraining) through `@spredjs/optim`'s `train`: seeded mini-batches, each step the
 * data loss plus the model's regularization losses (so spred layers' penalty counts) through
 * `optimizer`, the masks applied before the first step and after every step. Batch norms train in
 * training mode. Returns the mean loss of every finished epoch; a NaN/Inf loss ends training there
 * (the loop's rule), with the weights that produced it.
 *
 * @example
 * ```ts
 * const optimizer = new GroupedOptimizer({ kind: 'adam', learningRate: 1e-3 }, [{ variables }]);
 * const losses = await trainMasked(model, magnitudeMasks(model, 10), x, oneHot, { optimizer, epochs: 20 });
 * ```
 */
export async function trainMasked(
  model: tfl.LayersModel,
  masks: readonly KernelMask[],
  x: tf.Tensor,
  oneHot: tf.Tensor,
  options: MaskedTrainingOptions,
): Promise<number[]> {
  const dataLoss = options.loss ?? softmaxCrossEntropy;
  const augment = options.augment;
  const folded = new Set(options.foldedLayers ?? []);
  const regularization = () =>
    folded.size === 0
      ? model.calculateLosses()
      : model.layers.filter((l) => !folded.has(l)).flatMap((l) => l.calculateLosses());
  applyMasks(model, masks);
  const result = await train({
    optimizer: options.optimizer,
    data: [x, oneHot],
    batchSize: options.batchSize ?? 128,
    epochs: options.epochs,
    seed: options.seed ?? 0,
    // Every weight of a large model copied every step would cost more than the step.
    keepLastFinite: false,
    loss: ([xb, yb]) => {
      const output = model.apply(xb as tf.Tensor, { training: true }) as tf.Tensor;
      return regularization().reduce<tf.Scalar>(
        (sum, l) => tf.add(sum, l),
        dataLoss(yb as tf.Tensor, output),
      );
    },
    ...(augment === undefined
      ? {}
      : {
          transformBatch: ([xb, yb], { step }) => [
            augment(xb as tf.Tensor, step - 1),
            yb as tf.Tensor,
          ],
        }),
    afterStep: async ({ batch, batches }) => {
      applyMasks(model, masks);
      options.onStep?.();
      // Let the event loop run (progress output, Ctrl-C) once an epoch.
      if (batch === batches) await tf.nextFrame();
    },
    onEpoch: (record) => options.onEpoch?.(record.epoch, record.loss),
    ...(options.schedule === undefined ? {} : { schedule: options.schedule }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return result.history.map((h) => h.loss);
}
