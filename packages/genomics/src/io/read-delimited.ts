import { CsvError, parse } from 'csv-parse/sync';
import { SpredInputError } from '@spred/core/errors';
import { readText } from '@spred/io';

/** A delimited table as text: the header and the data rows, each row with its 1-based file line. */
export interface DelimitedTable {
  readonly path: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** File line of each data row (for messages). */
  readonly lines: readonly number[];
}

/**
 * Reads a TSV or CSV file (gzipped or not) with a header row. The delimiter is a tab for
 * `.tsv`/`.txt` names or when the first line has a tab, else a comma. Empty files, a header without
 * rows and ragged rows are errors naming the file and line.
 */
export function readDelimited(path: string): DelimitedTable {
  const text = readText(path);
  const newline = text.indexOf('\n');
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  const delimiter = /\.(tsv|txt)(\.gz)?$/i.test(path) || firstLine.includes('\t') ? '\t' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_quotes: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      throw new SpredInputError(
        `${path}${line === undefined ? '' : `, line ${line}`}: ${e.message.replace(/ on line \d+$/, '')}`,
      );
    }
    throw e;
  }
  const [head, ...rest] = records;
  if (head === undefined) throw new SpredInputError(`${path}: the file is empty`);
  if (rest.length === 0)
    throw new SpredInputError(`${path}: the file has a header but no data rows`);
  return {
    path,
    header: head.record,
    rows: rest.map((r) => r.record),
    lines: rest.map((r) => r.info.lines),
  };
}

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL', 'N/A', '.']);

/** Parses an expression value: a finite number, NaN for a missing-value marker, else an error naming file, line and column. */
export function parseExpressionValue(
  cell: string,
  where: { path: string; line: number; column: string },
): number {
  if (MISSING.has(cell)) return NaN;
  const value = Number(cell);
  if (!Number.isFinite(value))
    throw new SpredInputError(
      `${where.path}, line ${where.line}, column '${where.column}': expected a number (or NA), got '${cell}'`,
    );
  return value;
}

/** The first value that occurs twice, or undefined. */
export function firstDuplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return undefined;
}
