import { SpredInputError } from '@spredjs/core/errors';
import type { ExpressionSet } from './expression-set.js';
import { readExpressionTable, type TableOrientation } from './read-expression-table.js';
import { readSampleSheet } from './read-sample-sheet.js';

/** Options of {@link readExpressionDataset}. */
export interface ExpressionDatasetOptions {
  /** The expression table: TSV/CSV, optionally gzipped. */
  readonly expression: string;
  /** The sample sheet: one row per sample, label columns by name. */
  readonly samples: string;
  /** Default 'auto': told from where the sample ids appear. */
  readonly orientation?: TableOrientation | 'auto';
  /** Id column of the sample sheet (default `sample`, `sample_id`, `id`, `geo_accession` or the first). */
  readonly idColumn?: string;
}

/**
 * Reads an expression table and its sample sheet into one {@link ExpressionSet}: the sheet's columns
 * become annotations, in the table's sample order. A sample of the table without a row in the sheet
 * is an error naming it; sheet rows for samples the table lacks are ignored.
 *
 * @example
 * ```ts
 * const set = readExpressionDataset({ expression: 'expression.tsv.gz', samples: 'samples.tsv' });
 * set.annotations['mol.biol']; // one label per sample
 * ```
 */
export function readExpressionDataset(options: ExpressionDatasetOptions): ExpressionSet {
  const sheet = readSampleSheet(options.samples, { idColumn: options.idColumn });
  const table = readExpressionTable(options.expression, {
    orientation: options.orientation ?? 'auto',
    sampleIds: sheet.ids,
  });
  const rowOf = new Map(sheet.ids.map((id, i) => [id, i]));
  const missing = table.samples.filter((s) => !rowOf.has(s));
  if (missing.length > 0)
    throw new SpredInputError(
      `${options.samples}: no row for ${missing.length} sample(s) of ${options.expression}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
    );
  const annotations: Record<string, (string | undefined)[]> = {};
  for (const [name, column] of Object.entries(sheet.columns))
    annotations[name] = table.samples.map((s) => column[rowOf.get(s) as number]);
  return {
    samples: table.samples,
    features: table.features,
    values: table.values,
    annotations,
  };
}
