import * as tf from '@tensorflow/tfjs-core';
import { copyModel } from '../copy-model.js';
import { snipMasks } from '../masks.js';
import type { PruningBaseline } from './baseline.js';

/**
 * SNIP at init (Lee et al. 2019): the shared initialization pruned by connection sensitivity on
 * the first training batch to spred's compression, trained `epochs + finetuneEpochs`.
 *
 * @example
 * ```ts
 * const { model, masks, epochs } = await snipBaseline(context);
 * ```
 */
export const snipBaseline: PruningBaseline = async (context) => {
  const model = await copyModel(context.init);
  const n = Math.min(context.train.x.shape[0] as number, context.batchSize);
  const [x, y] = [tf.slice(context.train.x, 0, n), tf.slice(context.train.y, 0, n)];
  try {
    return {
      model,
      masks: snipMasks(model, x, y, context.compression, {
        minimumPerLayer: context.minimumPerLayer,
      }),
      epochs: context.epochs + context.finetuneEpochs,
      learningRate: context.learningRate,
    };
  } finally {
    tf.dispose([x, y]);
  }
};
