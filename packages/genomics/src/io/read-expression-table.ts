import { SpredInputError } from '@spredjs/core/errors';
import { badCells, firstDuplicate, readDelimited } from './read-delimited.js';

/** How an expression table is laid out. */
export type TableOrientation = 'genes-by-samples' | 'samples-by-genes';

/** An expression table: samples × features values (row-major, NaN where missing). */
export interface ExpressionTable {
  readonly samples: readonly string[];
  readonly features: readonly string[];
  readonly values: Float64Array;
  readonly orientation: TableOrientation;
}

/**
 * Reads an expression table (TSV/CSV, gzipped or not) with names: genes × samples (GEO series
 * matrices, Bioconductor exports: a header of sample ids, one row per gene) or samples × genes
 * (one row per sample). With `orientation: 'auto'` (default) the layout is told from `sampleIds`:
 * genes × samples when the header names them, samples × genes when the first column does.
 * Missing values (empty, NA, NaN, null) become NaN; anything else non-numeric, ragged rows and
 * duplicate names are errors naming file, line and column.
 */
export function readExpressionTable(
  path: string,
  options: { orientation?: TableOrientation | 'auto'; sampleIds?: readonly string[] } = {},
): ExpressionTable {
  const table = readDelimited(path);
  const orientation = resolveOrientation(path, table.header, table.rows, options);
  const names = table.header.slice(1);
  const rowNames = table.rows.map((row) => row[0] ?? '');
  const what = orientation === 'genes-by-samples' ? ['sample', 'gene'] : ['gene', 'sample'];
  const duplicateColumn = firstDuplicate(names);
  if (duplicateColumn !== undefined)
    throw new SpredInputError(
      `${path}, line 1: ${what[0]} '${duplicateColumn}' appears twice in the header`,
    );
  const duplicateRow = firstDuplicate(rowNames);
  if (duplicateRow !== undefined)
    throw new SpredInputError(
      `${path}, line ${table.lines[rowNames.lastIndexOf(duplicateRow)]}: ${what[1]} '${duplicateRow}' appears twice`,
    );
  const rows = table.rows.length;
  const cols = names.length;
  if (cols === 0) throw new SpredInputError(`${path}: the table has names but no value columns`);
  // values[r][c] of the file; transposed below when genes are rows.
  const fileValues = new Float64Array(rows * cols);
  const bad = badCells();
  table.rows.forEach((row, r) => {
    for (let c = 0; c < cols; c++) {
      fileValues[r * cols + c] = bad.parse(row[c + 1] ?? '', {
        path,
        line: table.lines[r] as number,
        column: names[c] as string,
      });
    }
  });
  bad.throwIfAny();
  if (orientation === 'samples-by-genes')
    return { samples: rowNames, features: names, values: fileValues, orientation };
  const values = new Float64Array(rows * cols);
  for (let g = 0; g < rows; g++)
    for (let s = 0; s < cols; s++) values[s * rows + g] = fileValues[g * cols + s] as number;
  return { samples: names, features: rowNames, values, orientation };
}

function resolveOrientation(
  path: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { orientation?: TableOrientation | 'auto'; sampleIds?: readonly string[] },
): TableOrientation {
  const requested = options.orientation ?? 'auto';
  if (requested !== 'auto') return requested;
  if (options.sampleIds === undefined)
    throw new SpredInputError(
      `${path}: cannot tell whether genes are rows or columns; give the orientation or the sample ids`,
    );
  const ids = new Set(options.sampleIds);
  const inHeader = header.slice(1).filter((h) => ids.has(h)).length;
  const inFirstColumn = rows.filter((r) => ids.has(r[0] ?? '')).length;
  if (inHeader === 0 && inFirstColumn === 0)
    throw new SpredInputError(
      `${path}: no sample id of the sample sheet appears in the header or the first column (first ids: ${options.sampleIds.slice(0, 3).join(', ')})`,
    );
  return inHeader >= inFirstColumn ? 'genes-by-samples' : 'samples-by-genes';
}
