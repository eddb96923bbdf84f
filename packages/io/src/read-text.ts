import { readBytes } from './read-bytes.js';

/**
 * Reads a file as UTF-8 text, gunzipped when it starts with the gzip magic bytes (whatever the
 * name); errors are `SpredFileError`s naming the file. The one way spred's readers (tables,
 * GEO SOFT and series matrices) get at a text file.
 *
 * @example
 * ```ts
 * const lines = readText('GDS507.soft.gz').split(/\r?\n/);
 * ```
 */
export function readText(path: string): string {
  return readBytes(path).toString('utf8');
}
