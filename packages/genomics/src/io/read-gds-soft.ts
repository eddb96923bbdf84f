import { SpredInputError } from '@spredjs/core/errors';
import type { ExpressionSet } from './expression-set.js';
import { readText } from '@spredjs/io';

/**
 * Reads a GEO DataSet in SOFT format (`GDS*.soft`, optionally gzipped): the value table between
 * `!dataset_table_begin` and `!dataset_table_end` (`ID_REF`, `IDENTIFIER`, one column per GSM
 * sample; `null` is a missing value) and the `^SUBSET` blocks, which become annotation columns named
 * by their `!subset_type` (e.g. `disease state`) holding each sample's `!subset_description`.
 * Errors name the file and line.
 *
 * @example
 * ```ts
 * const gds = readGdsSoft('GDS507.soft.gz');
 * gds.annotations['disease state']; // ['RCC', …, 'normal', …]
 * ```
 */
export function readGdsSoft(path: string): ExpressionSet {
  const lines = readText(path).split(/\r?\n/);
  const subsets: { type?: string; description?: string; samples?: string[]; line: number }[] = [];
  let tableStart = -1;
  let tableEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('^SUBSET')) subsets.push({ line: i + 1 });
    else if (line.startsWith('!subset_') && subsets.length > 0) {
      const current = subsets[subsets.length - 1] as (typeof subsets)[number];
      const [key, ...rest] = line.split(' = ');
      const value = rest.join(' = ').trim();
      if (key === '!subset_type') current.type = value;
      else if (key === '!subset_description') current.description = value;
      else if (key === '!subset_sample_id')
        current.samples = value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
    } else if (line.startsWith('!dataset_table_begin')) tableStart = i + 1;
    else if (line.startsWith('!dataset_table_end')) {
      tableEnd = i;
      break;
    }
  }
  if (tableStart < 0)
    throw new SpredInputError(
      `${path}: no !dataset_table_begin: not a GEO DataSet (GDS) SOFT file`,
    );
  if (tableEnd < 0)
    throw new SpredInputError(
      `${path}: the data table has no !dataset_table_end (truncated file?)`,
    );
  const header = (lines[tableStart] as string).split('\t');
  if (header[0] !== 'ID_REF')
    throw new SpredInputError(
      `${path}, line ${tableStart + 1}: the table header must start with ID_REF, got '${header[0]}'`,
    );
  const hasSymbols = header[1] === 'IDENTIFIER';
  const firstSample = hasSymbols ? 2 : 1;
  const samples = header.slice(firstSample);
  const duplicate = samples.find((s, i) => samples.indexOf(s) !== i);
  if (duplicate !== undefined)
    throw new SpredInputError(
      `${path}, line ${tableStart + 1}: sample '${duplicate}' appears twice`,
    );
  const rows = lines.slice(tableStart + 1, tableEnd).filter((l) => l.trim() !== '');
  if (rows.length === 0) throw new SpredInputError(`${path}: the data table is empty`);
  const features: string[] = [];
  const symbols: (string | undefined)[] = [];
  const values = new Float64Array(samples.length * rows.length);
  rows.forEach((row, f) => {
    const lineNumber = tableStart + 2 + f;
    const cells = row.split('\t');
    if (cells.length !== header.length)
      throw new SpredInputError(
        `${path}, line ${lineNumber}: ${cells.length} cells but the header has ${header.length}`,
      );
    features.push(cells[0] as string);
    if (hasSymbols) symbols.push(cells[1] === '' ? undefined : cells[1]);
    for (let s = 0; s < samples.length; s++) {
      const cell = (cells[firstSample + s] as string).trim();
      let v = NaN;
      if (cell !== 'null' && cell !== '' && cell !== 'NA') {
        v = Number(cell);
        if (!Number.isFinite(v))
          throw new SpredInputError(
            `${path}, line ${lineNumber}, column '${samples[s]}': expected a number or null, got '${cell}'`,
          );
      }
      values[s * rows.length + f] = v;
    }
  });
  const annotations: Record<string, (string | undefined)[]> = {};
  for (const subset of subsets) {
    if (
      subset.type === undefined ||
      subset.description === undefined ||
      subset.samples === undefined
    ) {
      throw new SpredInputError(
        `${path}, line ${subset.line}: ^SUBSET block without !subset_type, !subset_description and !subset_sample_id`,
      );
    }
    const column = (annotations[subset.type] ??= new Array<string | undefined>(samples.length).fill(
      undefined,
    ));
    for (const id of subset.samples) {
      const s = samples.indexOf(id);
      if (s < 0)
        throw new SpredInputError(
          `${path}, line ${subset.line}: subset '${subset.description}' lists sample ${id}, which is not in the data table`,
        );
      if (column[s] !== undefined && column[s] !== subset.description) {
        throw new SpredInputError(
          `${path}, line ${subset.line}: sample ${id} is in two '${subset.type}' subsets ('${column[s]}' and '${subset.description}')`,
        );
      }
      column[s] = subset.description;
    }
  }
  return { samples, features, ...(hasSymbols ? { symbols } : {}), values, annotations };
}
