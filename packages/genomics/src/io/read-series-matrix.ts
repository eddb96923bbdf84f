import { SpredInputError } from '@spredjs/core/errors';
import type { ExpressionSet } from './expression-set.js';
import { badCells, firstDuplicate } from './read-delimited.js';
import { readText } from '@spredjs/io';

const unquote = (cell: string) => cell.trim().replace(/^"(.*)"$/, '$1');

/**
 * Reads a GEO series matrix (`GSE*_series_matrix.txt[.gz]`): the probe × sample table between
 * `!series_matrix_table_begin` and `!series_matrix_table_end`, and the per-sample `!Sample_*`
 * header lines as annotation columns (`title`, `source_name_ch1`, …). `!Sample_characteristics_ch1`
 * lines of the form `key: value` become one column per key (e.g. `disease state`). Errors name
 * the file and line.
 */
export function readSeriesMatrix(path: string): ExpressionSet {
  const lines = readText(path).split(/\r?\n/);
  const begin = lines.findIndex((l) => l.startsWith('!series_matrix_table_begin'));
  const end = lines.findIndex((l) => l.startsWith('!series_matrix_table_end'));
  if (begin < 0)
    throw new SpredInputError(`${path}: no !series_matrix_table_begin: not a GEO series matrix`);
  if (end < begin)
    throw new SpredInputError(
      `${path}: the table has no !series_matrix_table_end (truncated file?)`,
    );
  const header = (lines[begin + 1] ?? '').split('\t').map(unquote);
  if (header[0] !== 'ID_REF')
    throw new SpredInputError(
      `${path}, line ${begin + 2}: the table header must start with ID_REF`,
    );
  const samples = header.slice(1);
  const duplicate = firstDuplicate(samples);
  if (duplicate !== undefined)
    throw new SpredInputError(`${path}, line ${begin + 2}: sample '${duplicate}' appears twice`);
  const annotations: Record<string, (string | undefined)[]> = {};
  lines.slice(0, begin).forEach((line, i) => {
    if (!line.startsWith('!Sample_')) return;
    const cells = line.split('\t').map(unquote);
    const key = (cells[0] as string).slice('!Sample_'.length);
    const values = cells.slice(1);
    if (values.length !== samples.length)
      throw new SpredInputError(
        `${path}, line ${i + 1}: ${values.length} values for ${samples.length} samples`,
      );
    const keyed =
      key.startsWith('characteristics') && values.every((v) => v === '' || v.includes(': '));
    if (!keyed) {
      if (annotations[key] === undefined)
        annotations[key] = values.map((v) => (v === '' ? undefined : v));
      return;
    }
    values.forEach((v, s) => {
      if (v === '') return;
      const [name, ...rest] = v.split(': ');
      const column = (annotations[name as string] ??= new Array<string | undefined>(
        samples.length,
      ).fill(undefined));
      column[s] = rest.join(': ');
    });
  });
  const rows = lines.slice(begin + 2, end).filter((l) => l.trim() !== '');
  if (rows.length === 0) throw new SpredInputError(`${path}: the data table is empty`);
  const features: string[] = [];
  const values = new Float64Array(samples.length * rows.length);
  const bad = badCells();
  rows.forEach((row, f) => {
    const line = begin + 3 + f;
    const cells = row.split('\t').map(unquote);
    if (cells.length !== header.length)
      throw new SpredInputError(
        `${path}, line ${line}: ${cells.length} cells but the header has ${header.length}`,
      );
    features.push(cells[0] as string);
    for (let s = 0; s < samples.length; s++)
      values[s * rows.length + f] = bad.parse(cells[s + 1] as string, {
        path,
        line,
        column: samples[s] as string,
      });
  });
  bad.throwIfAny();
  return { samples, features, values, annotations };
}
