import { snipMasks } from '../masks.js';
import type { PruningBaseline } from './baseline.js';
import { prunedAtInit } from './pruned-at-init.js';

/**
 * SNIP at init (Lee et al. 2019): the shared initialization pruned by connection sensitivity on
 * the first training batch to spred's compression, trained `epochs + finetuneEpochs`.
 *
 * @example
 * ```ts
 * const { model, masks, epochs } = await snipBaseline(context);
 * ```
 */
export const snipBaseline: PruningBaseline = (context) => prunedAtInit(context, snipMasks);
