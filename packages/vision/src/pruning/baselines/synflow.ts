import { SpredInputError } from '@spredjs/core';
import { copyModel } from '../copy-model.js';
import { synflowMasks } from '../synflow.js';
import type { PruningBaseline } from './baseline.js';

/**
 * SynFlow at init (Tanaka et al. 2020): the shared initialization pruned data-free by 100 rounds
 * of iterative synaptic-flow pruning to spred's compression, trained `epochs + finetuneEpochs`.
 *
 * @example
 * ```ts
 * const { model, masks, epochs } = await synflowBaseline(context);
 * ```
 */
export const synflowBaseline: PruningBaseline = async (context) => {
  const model = await copyModel(context.init);
  const shape = model.inputs[0]?.shape.slice(1);
  if (shape === undefined || shape.some((d) => d === null)) {
    model.dispose();
    throw new SpredInputError('SynFlow needs a model with one input of a fixed shape');
  }
  return {
    model,
    masks: await synflowMasks(model, shape as number[], context.compression, {
      minimumPerLayer: context.minimumPerLayer,
    }),
    epochs: context.epochs + context.finetuneEpochs,
    learningRate: context.learningRate,
  };
};
