import { copyModel } from '../copy-model.js';
import { prunableKernels, type KernelMask } from '../masks.js';
import type { PruningBaseline } from './baseline.js';

/**
 * Lottery ticket: spred's mask at this threshold laid onto the shared initialization, trained
 * `epochs + finetuneEpochs`.
 *
 * @example
 * ```ts
 * const { model, masks, epochs } = await lotteryBaseline(context);
 * ```
 */
export const lotteryBaseline: PruningBaseline = async (context) => {
  const model = await copyModel(context.init);
  return {
    model,
    masks: onto(model, context.spredMasks),
    epochs: context.epochs + context.finetuneEpochs,
    learningRate: context.learningRate,
  };
};

/** The mask set of `masks` laid onto another model with the same kernels (by position). */
function onto(
  model: Parameters<typeof prunableKernels>[0],
  masks: readonly KernelMask[],
): KernelMask[] {
  return prunableKernels(model).map((k, i) => ({
    name: k.name,
    mask: (masks[i] as KernelMask).mask.clone(),
  }));
}
