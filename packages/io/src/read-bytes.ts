import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SpredFileError } from './file-error.js';
import { isGzip } from './gzip.js';

/**
 * Reads a file's bytes, gunzipped when they start with the gzip magic bytes (whatever the name).
 * A missing file, an unreadable one and broken gzip data raise {@link SpredFileError}s naming the
 * file.
 *
 * @example
 * ```ts
 * const images = readBytes('t10k-images-idx3-ubyte.gz'); // the IDX bytes, decompressed
 * ```
 */
export function readBytes(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SpredFileError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${String(code ?? e)})`,
    );
  }
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch {
    throw new SpredFileError(`${path}: broken gzip data`);
  }
}
