import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { SpredInputError } from '@spredjs/core';

/** A decoded image: 8-bit RGBA, row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width · height · 4 bytes: R, G, B, A of each pixel. */
  readonly rgba: Uint8Array;
}

/**
 * Reads a PNG or JPEG file as 8-bit RGBA; the format is told by the file's signature, not its
 * name. A missing file, one that is neither format, or a broken one gets a one-line
 * `SpredInputError` naming it.
 *
 * @example
 * ```ts
 * const { width, height, rgba } = decodeImage('photos/bark.png');
 * ```
 */
export function decodeImage(path: string): RgbaImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new SpredInputError(`${path}: no such file`);
  }
  const isPng = bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47;
  const isJpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  try {
    if (isPng) {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, rgba: png.data };
    }
    if (isJpeg) {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxMemoryUsageInMB: 1024,
      });
      return { width: img.width, height: img.height, rgba: img.data };
    }
  } catch (e) {
    throw new SpredInputError(
      `${path}: broken ${isPng ? 'PNG' : 'JPEG'} file (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  throw new SpredInputError(`${path}: not a PNG or JPEG image`);
}

/** ITU-R BT.601 luma (0…255) of pixel `p` of 8-bit RGBA data. */
export function luma(rgba: Uint8Array, p: number): number {
  return (
    0.299 * (rgba[4 * p] as number) +
    0.587 * (rgba[4 * p + 1] as number) +
    0.114 * (rgba[4 * p + 2] as number)
  );
}
