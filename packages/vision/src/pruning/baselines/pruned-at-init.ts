import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { copyModel } from '../copy-model.js';
import type { KernelMask, MaskOptions } from '../masks.js';
import type { BaselineContext, BaselineRun } from './baseline.js';

/** A pruning-at-init criterion scored on one batch: the masks of `model` at `compression`. */
export type OneBatchMasks = (
  model: tfl.LayersModel,
  x: tf.Tensor,
  oneHot: tf.Tensor,
  compression: number,
  options: MaskOptions,
) => Promise<KernelMask[]>;

/**
 * The shared initialization pruned by a criterion scored on the first training batch (SNIP,
 * GraSP) to spred's compression, with the context's per-layer floor, and trained
 * `epochs + finetuneEpochs`: the same budget as spred's training plus finetuning.
 *
 * @example
 * ```ts
 * export const snipBaseline: PruningBaseline = (context) => prunedAtInit(context, snipMasks);
 * ```
 */
export async function prunedAtInit(
  context: BaselineContext,
  masksOf: OneBatchMasks,
): Promise<BaselineRun> {
  const model = await copyModel(context.init);
  const n = Math.min(context.train.x.shape[0] as number, context.batchSize);
  const [x, y] = [tf.slice(context.train.x, 0, n), tf.slice(context.train.y, 0, n)];
  try {
    return {
      model,
      masks: await masksOf(model, x, y, context.compression, {
        minimumPerLayer: context.minimumPerLayer,
      }),
      epochs: context.epochs + context.finetuneEpochs,
      learningRate: context.learningRate,
    };
  } finally {
    tf.dispose([x, y]);
  }
}
