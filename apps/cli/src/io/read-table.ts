import { readDelimited } from '@spredjs/io';
import { CliInputError } from './cli-input-error.js';

/** A delimited text table: the header row and the data rows as strings. */
export interface TextTable {
  readonly path: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses a delimited text file into records with `@spredjs/io`'s one parser of delimited tables
 * (the delimiter from the name or the first line; gzip told by its magic bytes).
 * `relaxColumnCount` accepts rows of different lengths (the caller checks them); otherwise a
 * ragged row is an error naming the line.
 */
export function parseDelimited(
  path: string,
  options: { relaxColumnCount?: boolean } = {},
): string[][] {
  return readDelimited(path, options).records.map((r) => [...r]);
}

/** Reads a TSV or CSV file (optionally gzipped) with a header row; ragged rows and empty files are errors naming the file and line. */
export function readTable(path: string): TextTable {
  const records = parseDelimited(path);
  const [header, ...rows] = records;
  if (header === undefined) throw new CliInputError(`${path}: the file is empty`);
  if (rows.length === 0) throw new CliInputError(`${path}: the file has a header but no data rows`);
  return { path, header, rows };
}

/** Parses one cell as a finite number, or fails naming file, line and column. */
export function parseCell(table: TextTable, row: number, column: number): number {
  const cell = table.rows[row]?.[column] ?? '';
  const value = Number(cell);
  if (cell === '' || !Number.isFinite(value)) {
    throw new CliInputError(
      `${table.path}, line ${row + 2}, column '${table.header[column] ?? column + 1}': expected a finite number, got '${cell}'`,
    );
  }
  return value;
}
