import { CsvError, parse } from 'csv-parse/sync';
import { SpredFileError } from './file-error.js';
import { readText } from './read-text.js';

/** The records of a delimited text file, each with its 1-based file line. */
export interface DelimitedRecords {
  readonly path: string;
  readonly records: readonly (readonly string[])[];
  /** File line of each record (for messages). */
  readonly lines: readonly number[];
}

/**
 * The one parser of delimited text tables (TSV or CSV, gzipped or not): a tab for `.tsv`/`.txt`
 * names or when the first line has a tab, else a comma; cells trimmed, empty lines skipped, a BOM
 * dropped. `relaxColumnCount` accepts rows of different lengths (the caller checks them);
 * otherwise a ragged row is an error naming the file and line. What the cells mean (numbers,
 * missing values, names) is the caller's to decide.
 *
 * @example
 * ```ts
 * const { records, lines } = readDelimited('X.tsv');
 * ```
 */
export function readDelimited(
  path: string,
  options: { relaxColumnCount?: boolean } = {},
): DelimitedRecords {
  const text = readText(path);
  const newline = text.indexOf('\n');
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  const delimiter = /\.(tsv|txt)(\.gz)?$/i.test(path) || firstLine.includes('\t') ? '\t' : ',';
  try {
    const parsed = parse(text, {
      delimiter,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_quotes: true,
      relax_column_count: options.relaxColumnCount ?? false,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return {
      path,
      records: parsed.map((r) => r.record),
      lines: parsed.map((r) => r.info.lines),
    };
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      throw new SpredFileError(
        `${path}${line === undefined ? '' : `, line ${line}`}: ${e.message.replace(/ on line \d+$/, '')}`,
      );
    }
    throw e;
  }
}
