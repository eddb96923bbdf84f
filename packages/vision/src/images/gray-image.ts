import { decodeImage, luma } from './decode-image.js';

/** A grayscale image: row-major luminance in [0, 1]. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;
}

/**
 * Reads a PNG or JPEG photo as grayscale (ITU-R BT.601 luma in [0, 1]); the format is told by the
 * file's signature, not its name. A file that is neither, or is broken, gets an error naming it.
 *
 * @example
 * ```ts
 * const img = readGrayImage('photos/bark.png'); // { width, height, pixels }
 * ```
 */
export function readGrayImage(path: string): GrayImage {
  const { width, height, rgba } = decodeImage(path);
  const pixels = new Float32Array(width * height);
  for (let p = 0; p < pixels.length; p++) pixels[p] = luma(rgba, p) / 255;
  return { width, height, pixels };
}
