import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SpredInputError } from '@spred/core';

/** Reads a file as UTF-8 text, gunzipping it when it starts with the gzip magic; errors name the file. */
export function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SpredInputError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${String(code ?? e)})`,
    );
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new SpredInputError(`${path}: broken gzip data`);
    }
  }
  return bytes.toString('utf8');
}
