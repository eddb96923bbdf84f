import { SpredInputError } from '@spredjs/core/errors';
import { readDelimited as readRecords } from '@spredjs/io';

/** A delimited table as text: the header and the data rows, each row with its 1-based file line. */
export interface DelimitedTable {
  readonly path: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** File line of each data row (for messages). */
  readonly lines: readonly number[];
}

/**
 * Reads a TSV or CSV file (gzipped or not) with a header row, through `@spredjs/io`'s one parser of
 * delimited tables. Empty files, a header without rows and ragged rows are errors naming the file
 * and line.
 */
export function readDelimited(path: string): DelimitedTable {
  const { records, lines } = readRecords(path);
  const [head, ...rest] = records;
  if (head === undefined) throw new SpredInputError(`${path}: the file is empty`);
  if (rest.length === 0)
    throw new SpredInputError(`${path}: the file has a header but no data rows`);
  return { path, header: head, rows: rest, lines: lines.slice(1) };
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

/**
 * Collects the bad cells of an expression table while it is parsed: the first one's error, told
 * when the table is done, with how many more there are.
 *
 * @example
 * ```ts
 * const bad = badCells();
 * const v = bad.parse(cell, { path, line, column });
 * bad.throwIfAny();
 * ```
 */
export function badCells(): {
  parse(cell: string, where: { path: string; line: number; column: string }): number;
  throwIfAny(): void;
} {
  let first: SpredInputError | undefined;
  let count = 0;
  return {
    parse(cell, where) {
      try {
        return parseExpressionValue(cell, where);
      } catch (e) {
        if (!(e instanceof SpredInputError)) throw e;
        first ??= e;
        count++;
        return NaN;
      }
    },
    throwIfAny() {
      if (first === undefined) return;
      throw new SpredInputError(
        count > 1
          ? `${first.message} (and ${count - 1} more bad cell${count > 2 ? 's' : ''})`
          : first.message,
      );
    },
  };
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
