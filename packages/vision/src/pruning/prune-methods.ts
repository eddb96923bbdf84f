/** The methods of a pruning curve: spred and the baselines it is compared with on the same budget. */
export const PRUNE_METHODS = [
  'spred',
  'magnitude',
  'random',
  'snip',
  'synflow',
  'grasp',
  'lottery',
] as const;
/** One of {@link PRUNE_METHODS}. */
export type PruneMethod = (typeof PRUNE_METHODS)[number];
