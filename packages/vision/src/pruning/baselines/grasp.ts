import { graspMasks } from '../grasp.js';
import type { PruningBaseline } from './baseline.js';
import { prunedAtInit } from './pruned-at-init.js';

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
export const graspBaseline: PruningBaseline = (context) => prunedAtInit(context, graspMasks);
