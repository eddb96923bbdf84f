import type { MethodName } from '@spredjs/genomics';
import type { ImageDatasetName, PruneMethod } from '@spredjs/vision';

// The names below are the packages' own lists (`IMAGE_DATASETS` and `PRUNE_METHODS` of
// @spredjs/vision, `METHODS` of @spredjs/genomics), repeated because a command's flags are declared
// before it runs: importing the packages here would load tfjs on every `spred --help`. `satisfies`
// keeps each name valid; choices.test.ts checks that no name is missing and the order is the same.

/**
 * The image data sets `spred prune --dataset` accepts, as @spredjs/vision's `readImageFolder` names
 * them.
 *
 * @example
 * ```ts
 * new Option('--dataset <name>', 'image data set').choices([...IMAGE_DATASET_CHOICES]);
 * ```
 */
export const IMAGE_DATASET_CHOICES = [
  'mnist',
  'fashion-mnist',
  'cifar10',
  'cifar100',
] as const satisfies readonly ImageDatasetName[];

/**
 * The methods of a pruning curve (`spred prune --methods`): spred and the baselines, in report
 * order.
 *
 * @example
 * ```ts
 * const methods = parseMethodList('spred,snip', PRUNE_METHOD_CHOICES); // ['spred', 'snip']
 * ```
 */
export const PRUNE_METHOD_CHOICES = [
  'spred',
  'magnitude',
  'random',
  'snip',
  'synflow',
  'grasp',
  'lottery',
] as const satisfies readonly PruneMethod[];

/**
 * The methods of a gene-selection sweep (`spred select-genes --methods`), in report order.
 *
 * @example
 * ```ts
 * const methods = parseMethodList('spred,hsic-lasso', GENE_METHOD_CHOICES);
 * ```
 */
export const GENE_METHOD_CHOICES = [
  'spred',
  'l1-logistic',
  'mlp',
  'linear',
  'l1-mlp',
  'hsic-lasso',
] as const satisfies readonly MethodName[];

/**
 * The default κ grid of `spred select-genes --kappa-ratios`, relative to κ_max: @spredjs/genomics'
 * `DEFAULT_KAPPA_RATIOS` (7 points from 0.9 to 0.05, geometric), repeated here for the same reason
 * as the lists above; choices.test.ts checks they agree.
 */
export const DEFAULT_KAPPA_RATIO_CHOICES: readonly number[] = Array.from(
  { length: 7 },
  (_, i) => 0.9 * (0.05 / 0.9) ** (i / 6),
);
