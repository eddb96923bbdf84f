import { SpredInputError } from '@spredjs/core/errors';
import { firstDuplicate, readDelimited } from './read-delimited.js';

/** A sample sheet: one row per sample id, annotation columns by name (undefined where a cell is empty). */
export interface SampleSheet {
  readonly path: string;
  readonly ids: readonly string[];
  readonly columns: Readonly<Record<string, readonly (string | undefined)[]>>;
}

/**
 * Reads a sample sheet (TSV/CSV, one row per sample). The id column is `idColumn`, else a column
 * named `sample`, `sample_id`, `id` or `geo_accession`, else the first column. Duplicate ids and
 * empty ids are errors naming the line.
 */
export function readSampleSheet(path: string, options: { idColumn?: string } = {}): SampleSheet {
  const table = readDelimited(path);
  const header = table.header;
  let idIndex: number;
  if (options.idColumn !== undefined) {
    idIndex = header.indexOf(options.idColumn);
    if (idIndex < 0)
      throw new SpredInputError(
        `${path}: no column '${options.idColumn}' (columns: ${header.join(', ')})`,
      );
  } else {
    const known = ['sample', 'sample_id', 'id', 'geo_accession'];
    idIndex = Math.max(
      0,
      header.findIndex((h) => known.includes(h.toLowerCase())),
    );
  }
  const ids = table.rows.map((row, r) => {
    const id = row[idIndex] ?? '';
    if (id === '') throw new SpredInputError(`${path}, line ${table.lines[r]}: empty sample id`);
    return id;
  });
  const duplicate = firstDuplicate(ids);
  if (duplicate !== undefined)
    throw new SpredInputError(
      `${path}, line ${table.lines[ids.lastIndexOf(duplicate)]}: sample '${duplicate}' appears twice`,
    );
  const columns: Record<string, (string | undefined)[]> = {};
  header.forEach((name, c) => {
    if (c === idIndex) return;
    columns[name] = table.rows.map((row) => {
      const cell = row[c] ?? '';
      return cell === '' || cell === 'NA' ? undefined : cell;
    });
  });
  return { path, ids, columns };
}
