import * as tf from '@tensorflow/tfjs-core';
import { copyModel } from '../copy-model.js';
import { graspMasks } from '../grasp.js';
import type { PruningBaseline } from './baseline.js';

/**
 * GraSP at init (Wang et al. 2020): the shared initialization pruned by gradient-flow preservation
 * (S = −θ ⊙ Hg, the highest scores removed) on the first training batch to spred's compression,
 * trained `epochs + finetuneEpochs`.
 *
 * @example
 * ```ts
 * const { model, masks, epochs } = await graspBaseline(context);
 * ```
 */
export const graspBaseline: PruningBaseline = async (context) => {
  const model = await copyModel(context.init);
  const n = Math.min(context.train.x.shape[0] as number, context.batchSize);
  const [x, y] = [tf.slice(context.train.x, 0, n), tf.slice(context.train.y, 0, n)];
  try {
    return {
      model,
      masks: graspMasks(model, x, y, context.compression, {
        minimumPerLayer: context.minimumPerLayer,
      }),
      epochs: context.epochs + context.finetuneEpochs,
      learningRate: context.learningRate,
    };
  } finally {
    tf.dispose([x, y]);
  }
};
