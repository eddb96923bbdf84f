import { firstNonFinite } from '@spred/solvers/linear';
import { CliInputError } from './cli-input-error.js';
import { readNpy, type NumericMatrix } from './read-npy.js';
import { parseDelimited } from './read-table.js';

/** A matrix with the names it came with (columns from a header, rows from a first text column). */
export interface NamedMatrix extends NumericMatrix {
  readonly columnNames: readonly string[];
  readonly rowNames?: readonly string[];
}

/** A table of strings (for labels) with its column names. */
export interface LabelColumns {
  readonly columnNames: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

function readRecords(path: string): string[][] {
  const records = parseDelimited(path, { relaxColumnCount: true });
  if (records.length === 0) throw new CliInputError(`${path}: the file is empty`);
  return records;
}

/**
 * Reads a numeric matrix from TSV/CSV (optionally gzipped; a header row is detected when its
 * cells are not all numbers, a row-name column when the first column of the data is not numeric)
 * or NumPy `.npy`. Every error names the file, line and column. `finite: 'by-solver'` leaves a
 * `.npy` file's NaN and ±∞ to the solvers, which find them while they convert X anyway (naming
 * the file given as the matrix's `source`): one pass over a large X less.
 */
export function readMatrix(
  path: string,
  header: 'auto' | 'yes' | 'no' = 'auto',
  finite: 'checked' | 'by-solver' = 'checked',
): NamedMatrix {
  if (path.endsWith('.npy')) {
    const m = readNpy(path);
    const k = finite === 'checked' ? firstNonFinite(m.values) : -1;
    if (k >= 0)
      throw new CliInputError(
        `${path}: non-finite value at row ${Math.floor(k / m.cols)}, column ${k % m.cols}`,
      );
    return { ...m, columnNames: Array.from({ length: m.cols }, (_, j) => `x${j}`) };
  }
  const records = readRecords(path);
  const first = records[0] as string[];
  // A header has a non-numeric cell after the first (or an empty first cell); a first row whose
  // only text is its first cell is ambiguous (a header over numeric names, or a named data row).
  const detected =
    first.slice(1).some((c) => !isNumber(c)) ||
    first[0] === '' ||
    (first.length === 1 && !isNumber(first[0] as string));
  const hasHeader = header === 'auto' ? detected : header === 'yes';
  const body = hasHeader ? records.slice(1) : records;
  if (body.length === 0) throw new CliInputError(`${path}: the file has a header but no data rows`);
  const hasRowNames = body.some((r) => !isNumber(r[0] ?? ''));
  const offset = hasRowNames ? 1 : 0;
  const cols = (body[0] as string[]).length - offset;
  if (cols < 1) throw new CliInputError(`${path}: no numeric columns`);
  const values = new Float64Array(body.length * cols);
  body.forEach((row, i) => {
    if (row.length - offset !== cols)
      throw new CliInputError(
        `${path}, line ${i + 1 + (hasHeader ? 1 : 0)}: ${row.length} cells but the first data row has ${cols + offset}`,
      );
    for (let j = 0; j < cols; j++) {
      const cell = row[j + offset] as string;
      if (!isNumber(cell)) {
        const name = hasHeader ? (first[j + offset] ?? `${j + 1}`) : `${j + 1 + offset}`;
        throw new CliInputError(
          `${path}, line ${i + 1 + (hasHeader ? 1 : 0)}, column '${name}': expected a finite number, got '${cell}'`,
        );
      }
      values[i * cols + j] = Number(cell);
    }
  });
  // R writes row-named tables without a corner cell: then the header has one cell per column.
  const columnNames = hasHeader
    ? first.length === cols
      ? first
      : first.slice(offset)
    : Array.from({ length: cols }, (_, j) => `x${j}`);
  return {
    rows: body.length,
    cols,
    values,
    columnNames,
    ...(hasRowNames ? { rowNames: body.map((r) => r[0] as string) } : {}),
  };
}

/** Reads class labels (any strings), one per row, optionally with a header and a row-name column. */
export function readLabels(path: string, rows: number): string[] {
  const records = readRecords(path);
  // The row count decides: one more than X has rows means a header.
  if (records.length !== rows && records.length !== rows + 1) {
    throw new CliInputError(`${path}: ${records.length} lines but X has ${rows} rows`);
  }
  const hasHeader = records.length === rows + 1;
  const body = hasHeader ? records.slice(1) : records;
  return body.map((r, i) => {
    const label = r[r.length - 1];
    if (label === undefined || label === '')
      throw new CliInputError(`${path}, line ${i + 1 + (hasHeader ? 1 : 0)}: missing label`);
    return label;
  });
}
