import { join } from 'node:path';
import { readExpressionDataset } from '@spredjs/genomics/io';
import { CliInputError } from '../io/cli-input-error.js';

/** An expression matrix as samples × genes, with names and class labels. */
export interface ExpressionData {
  readonly samples: readonly string[];
  readonly genes: readonly string[];
  /** Row-major samples × genes. */
  readonly values: Float64Array;
  readonly labels: readonly string[];
}

/**
 * Reads a `expression.tsv.gz` (header `gene`, then one column per sample; one row per gene) with
 * its `samples.tsv` (`sample`, `class`), the layout of the bundled and shared data sets, through
 * `@spredjs/genomics`' one expression-set reader (its tfjs-free `io` entry, so the float64 demo
 * still loads no tfjs). Every value must be present: the demo has no imputation.
 *
 * @example
 * ```ts
 * const alon = readExpressionFolder(join(BUNDLED_DATA_DIR, 'alon')); // 62 samples × 2,000 genes
 * ```
 */
export function readExpressionFolder(dir: string): ExpressionData {
  const expression = join(dir, 'expression.tsv.gz');
  const samplesFile = join(dir, 'samples.tsv');
  const set = readExpressionDataset({ expression, samples: samplesFile });
  const classes = set.annotations['class'];
  if (classes === undefined)
    throw new CliInputError(
      `${samplesFile}: needs columns 'sample' and 'class', found ${Object.keys(set.annotations).join(', ')}`,
    );
  const labels = set.samples.map((s, i) => {
    const label = classes[i];
    if (label === undefined || label === '')
      throw new CliInputError(`${samplesFile}: no class for sample '${s}'`);
    return label;
  });
  const missing = set.values.findIndex((v) => !Number.isFinite(v));
  if (missing >= 0) {
    const genes = set.features.length;
    throw new CliInputError(
      `${expression}: gene '${set.features[missing % genes]}', sample '${set.samples[Math.floor(missing / genes)]}': expected a finite number`,
    );
  }
  return { samples: set.samples, genes: set.features, values: set.values, labels };
}
