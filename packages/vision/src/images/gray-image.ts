import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { SpredInputError } from '@spred/core';

/** A grayscale image: row-major luminance in [0, 1]. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;
}

/** ITU-R BT.601 luma of 8-bit RGB. */
function luma(r: number, g: number, b: number): number {
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

/** Decodes RGBA bytes (as pngjs and jpeg-js give them) into luminance. */
function fromRgba(data: Uint8Array, width: number, height: number): GrayImage {
  const pixels = new Float32Array(width * height);
  for (let p = 0; p < pixels.length; p++)
    pixels[p] = luma(data[4 * p] as number, data[4 * p + 1] as number, data[4 * p + 2] as number);
  return { width, height, pixels };
}

/**
 * Reads a PNG or JPEG photo as grayscale (luma in [0, 1]); the format is told by the file's
 * signature, not its name. A file that is neither, or is broken, gets an error naming it.
 *
 * @example
 * ```ts
 * const img = readGrayImage('photos/bark.png'); // { width, height, pixels }
 * ```
 */
export function readGrayImage(path: string): GrayImage {
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
      return fromRgba(png.data, png.width, png.height);
    }
    if (isJpeg) {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxMemoryUsageInMB: 1024,
      });
      return fromRgba(img.data, img.width, img.height);
    }
  } catch (e) {
    throw new SpredInputError(
      `${path}: broken ${isPng ? 'PNG' : 'JPEG'} file (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  throw new SpredInputError(`${path}: not a PNG or JPEG image`);
}
