import { copyModel } from '../copy-model.js';
import { magnitudeMasks } from '../masks.js';
import type { PruningBaseline } from './baseline.js';

/**
 * Magnitude pruning after training: the trained dense model pruned globally by |w| to spred's
 * compression, finetuned `finetuneEpochs` at the finetuning rate.
 *
 * @example
 * ```ts
 * const { model, masks, epochs } = await magnitudeBaseline(context);
 * ```
 */
export const magnitudeBaseline: PruningBaseline = async (context) => {
  if (context.dense === undefined)
    throw new Error('magnitude pruning needs the trained dense model');
  const model = await copyModel(context.dense);
  return {
    model,
    masks: await magnitudeMasks(model, context.compression, 'global', {
      minimumPerLayer: context.minimumPerLayer,
    }),
    epochs: context.finetuneEpochs,
    learningRate: context.finetuneLearningRate,
  };
};
