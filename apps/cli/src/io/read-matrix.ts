import { firstNonFinite } from '@spredjs/solvers/linear';
import { CliInputError } from './cli-input-error.js';
import { readNpy, type NumericMatrix } from './read-npy.js';
import { parseDelimited } from './read-table.js';

/** A matrix with the names it came with (columns from a header, rows from a first text column). */
export interface NamedMatrix extends NumericMatrix {
  readonly columnNames: readonly string[];
  readonly rowNames?: readonly string[];
  /** Whether the first row was read as a header (what the run reports it decided). */
  readonly header: boolean;
}

/** A table of strings (for labels) with its column names. */
export interface LabelColumns {
  readonly columnNames: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

/** Cells that mean "missing" (an error in X and y of the linear commands, never text). */
const MISSING = /^(|na|nan|null|[+-]?inf(inity)?)$/i;

/** A cell that is neither a number nor a missing value: a name. */
const isText = (s: string) => !isNumber(s) && !MISSING.test(s.trim());

function readRecords(path: string): string[][] {
  const records = parseDelimited(path, { relaxColumnCount: true });
  if (records.length === 0) throw new CliInputError(`${path}: the file is empty`);
  return records;
}

/**
 * Says why a text table did not parse as numbers, where the reason is one we can name: a NumPy
 * file with a text name, semicolons as separators, or decimal commas.
 */
function formatHint(path: string, records: readonly (readonly string[])[]): string {
  const first = records[0] ?? [];
  if ((first[0] ?? '').includes('NUMPY')) return ': it is a NumPy .npy file (name it .npy)';
  if (first.length === 1 && (first[0] ?? '').includes(';'))
    return ': it looks semicolon-separated; spred reads tab- or comma-separated files';
  const cells = records.slice(1, 6).flat();
  if (cells.some((c) => /^[+-]?\d+,\d+$/.test(c)))
    return ': it looks like it uses decimal commas (1,5); spred reads decimal points (1.5)';
  return '';
}

/**
 * Reads a numeric matrix from TSV/CSV (optionally gzipped; a header row is detected when every
 * cell after its first is a name, a row-name column when every data cell of the first column is
 * a name; `header` and `rowNames` force either) or NumPy `.npy`. A missing value (empty, NA,
 * NaN, Inf) is an error naming its cell and how many more there are. Every error names the file, line and column. `finite: 'by-solver'` leaves a
 * `.npy` file's NaN and ±∞ to the solvers, which find them while they convert X anyway (naming
 * the file given as the matrix's `source`): one pass over a large X less.
 */
export function readMatrix(
  path: string,
  header: 'auto' | 'yes' | 'no' = 'auto',
  finite: 'checked' | 'by-solver' = 'checked',
  rowNames: 'auto' | 'yes' | 'no' = 'auto',
): NamedMatrix {
  if (path.endsWith('.npy')) {
    const m = readNpy(path);
    const k = finite === 'checked' ? firstNonFinite(m.values) : -1;
    if (k >= 0)
      throw new CliInputError(
        `${path}: non-finite value at row ${Math.floor(k / m.cols)}, column ${k % m.cols}`,
      );
    return {
      ...m,
      columnNames: Array.from({ length: m.cols }, (_, j) => `x${j}`),
      header: false,
    };
  }
  const records = readRecords(path);
  const first = records[0] as string[];
  // Decided from the whole first row and column, never from one cell: the first row is a header
  // when every cell after the first is a name (or its corner cell is empty); the first column
  // holds row names when every one of its data cells is a name. NA, NaN, Inf and empty cells are
  // missing values, which X and y may not have: they never make a row a header.
  const detected =
    (first.length > 1 && first.slice(1).every(isText)) ||
    (first[0] === '' && first.length > 1) ||
    (first.length === 1 && isText(first[0] as string));
  const hasHeader = header === 'auto' ? detected : header === 'yes';
  const body = hasHeader ? records.slice(1) : records;
  if (body.length === 0)
    throw new CliInputError(
      `${path}: the file has a header but no data rows${formatHint(path, records)}`,
    );
  const hasRowNames =
    rowNames === 'auto' ? body.every((r) => isText(r[0] ?? '')) : rowNames === 'yes';
  const offset = hasRowNames ? 1 : 0;
  const cols = (body[0] as string[]).length - offset;
  if (cols < 1) throw new CliInputError(`${path}: no numeric columns${formatHint(path, records)}`);
  const lineOf = (i: number) => i + 1 + (hasHeader ? 1 : 0);
  const values = new Float64Array(body.length * cols);
  let firstBad: { i: number; j: number; cell: string } | undefined;
  let bad = 0;
  body.forEach((row, i) => {
    if (row.length - offset !== cols)
      throw new CliInputError(
        `${path}, line ${lineOf(i)}: ${row.length} cells but the first data row has ${cols + offset}${formatHint(path, records)}`,
      );
    for (let j = 0; j < cols; j++) {
      const cell = row[j + offset] as string;
      if (!isNumber(cell)) {
        bad++;
        firstBad ??= { i, j, cell };
      } else values[i * cols + j] = Number(cell);
    }
  });
  if (firstBad !== undefined) {
    const { i, j, cell } = firstBad;
    const name = hasHeader ? (first[j + offset] ?? `${j + 1}`) : `${j + 1 + offset}`;
    const what = MISSING.test(cell.trim())
      ? `a missing value ('${cell}'), which X and y may not have`
      : `expected a finite number, got '${cell}'`;
    throw new CliInputError(
      `${path}, line ${lineOf(i)}, column '${name}': ${what}${bad > 1 ? ` (and ${bad - 1} more bad cell${bad > 2 ? 's' : ''})` : ''}${formatHint(path, records)}`,
    );
  }
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
    header: hasHeader,
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
