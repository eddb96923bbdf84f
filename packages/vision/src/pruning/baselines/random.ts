import { copyModel } from '../copy-model.js';
import { randomMasks } from '../masks.js';
import type { PruningBaseline } from './baseline.js';

/**
 * Random pruning at init: a seeded random share 1/compression of every kernel of the shared
 * initialization kept, trained `epochs + finetuneEpochs`.
 *
 * @example
 * ```ts
 * const { model, masks, epochs } = await randomBaseline(context);
 * ```
 */
export const randomBaseline: PruningBaseline = async (context) => {
  const model = await copyModel(context.init);
  return {
    model,
    masks: await randomMasks(model, context.compression, context.seed, {
      minimumPerLayer: context.minimumPerLayer,
    }),
    epochs: context.epochs + context.finetuneEpochs,
    learningRate: context.learningRate,
  };
};
