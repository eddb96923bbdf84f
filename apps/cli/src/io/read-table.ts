import { readText } from '@spred/io';
import { CsvError, parse } from 'csv-parse/sync';
import { CliInputError } from './cli-input-error.js';

/** A delimited text table: the header row and the data rows as strings. */
export interface TextTable {
  readonly path: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses a delimited text file into records: a tab for `.tsv`/`.txt` files or when the first line
 * has a tab, else a comma; gzipped files (told by their magic bytes) are read through. `relaxColumnCount` accepts rows of
 * different lengths (the caller checks them); otherwise a ragged row is an error naming the line.
 */
export function parseDelimited(
  path: string,
  options: { relaxColumnCount?: boolean } = {},
): string[][] {
  const text = readText(path);
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const delimiter = /\.(tsv|txt)(\.gz)?$/.test(path) || firstLine.includes('\t') ? '\t' : ',';
  try {
    return parse(text, {
      delimiter,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_quotes: true,
      relax_column_count: options.relaxColumnCount ?? false,
    });
  } catch (e) {
    if (e instanceof CsvError) {
      const lines = (e as CsvError & { lines?: number }).lines;
      throw new CliInputError(
        `${path}${lines === undefined ? '' : `, line ${lines}`}: ${e.message.replace(/ on line \d+$/, '')}`,
      );
    }
    throw e;
  }
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
