import { join } from 'node:path';
import { CliInputError } from '../io/cli-input-error.js';
import { parseCell, readTable } from '../io/read-table.js';

/** An expression matrix as samples × genes, with names and class labels. */
export interface ExpressionData {
  readonly samples: readonly string[];
  readonly genes: readonly string[];
  /** Row-major samples × genes. */
  readonly values: Float64Array;
  readonly labels: readonly string[];
}

/**
 * Reads a `expression.tsv(.gz)` (header `gene`, then one column per sample; one row per gene)
 * with its `samples.tsv` (`sample`, `class`), the layout of the bundled and shared data sets.
 */
export function readExpressionFolder(dir: string): ExpressionData {
  const expression = readTable(join(dir, 'expression.tsv.gz'));
  const sheet = readTable(join(dir, 'samples.tsv'));
  const samples = expression.header.slice(1);
  const sampleColumn = sheet.header.indexOf('sample');
  const classColumn = sheet.header.indexOf('class');
  if (sampleColumn < 0 || classColumn < 0) {
    throw new CliInputError(
      `${sheet.path}: needs columns 'sample' and 'class', found ${sheet.header.join(', ')}`,
    );
  }
  const classOf = new Map(
    sheet.rows.map((r) => [r[sampleColumn] as string, r[classColumn] as string]),
  );
  const labels = samples.map((s) => {
    const label = classOf.get(s);
    if (label === undefined) throw new CliInputError(`${sheet.path}: no row for sample '${s}'`);
    return label;
  });
  const genes = expression.rows.map((r) => r[0] as string);
  const values = new Float64Array(samples.length * genes.length);
  for (let g = 0; g < genes.length; g++) {
    for (let s = 0; s < samples.length; s++)
      values[s * genes.length + g] = parseCell(expression, g, s + 1);
  }
  return { samples, genes, values, labels };
}
