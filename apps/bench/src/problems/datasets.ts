import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readExpressionDataset, type ExpressionSet } from '@spredjs/genomics';

/** The real data sets beside the checkout (`../shared/data`). */
export const SHARED_DATA = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

/** The Alon colon set the CLI ships (62 samples × 2,000 genes). */
export const ALON_DIR = fileURLToPath(new URL('../../../cli/data/alon/', import.meta.url));

/** ALL (Chiaretti et al. 2004): 128 patients × 12,625 probes, in `../shared/data/all-leukemia`. */
export const ALL_DIR = join(SHARED_DATA, 'all-leukemia');

/**
 * An expression folder (`expression.tsv.gz` + `samples.tsv`, the layout of `../shared/data` and of
 * the CLI's bundled sets) as samples × features, or undefined when the folder is absent.
 *
 * @example
 * ```ts
 * const all = readExpressionFolder(ALL_DIR); // 128 samples × 12,625 probes
 * ```
 */
export function readExpressionFolder(dir: string): ExpressionSet | undefined {
  const expression = join(dir, 'expression.tsv.gz');
  if (!existsSync(expression)) return undefined;
  return readExpressionDataset({ expression, samples: join(dir, 'samples.tsv') });
}
