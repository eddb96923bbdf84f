import { SpredInputError } from '@spredjs/core';
import { mulberry32 } from '@spredjs/optim';
import type { GrayImage } from '../images/gray-image.js';

/**
 * `count` random `size`×`size` patches from the images (image chosen uniformly, then a uniform
 * position), each with its own mean removed (the DC component sparse coding ignores). Returns a
 * row-major count × size² matrix; the same seed gives the same patches.
 *
 * @example
 * ```ts
 * const patches = extractPatches(images, { size: 16, count: 20000, seed: 0 });
 * ```
 */
export function extractPatches(
  images: readonly GrayImage[],
  options: { size: number; count: number; seed?: number; removeMean?: boolean },
): Float32Array {
  const { size, count } = options;
  if (!Number.isInteger(size) || size < 1)
    throw new SpredInputError(`patch size must be a positive integer, got ${String(size)}`);
  if (!Number.isInteger(count) || count < 1)
    throw new SpredInputError(`patch count must be a positive integer, got ${String(count)}`);
  const usable = images.filter((img) => img.width >= size && img.height >= size);
  if (usable.length === 0) throw new SpredInputError(`no image is at least ${size}×${size} pixels`);
  const random = mulberry32(options.seed ?? 0);
  const area = size * size;
  const out = new Float32Array(count * area);
  for (let p = 0; p < count; p++) {
    const img = usable[Math.floor(random() * usable.length)] as GrayImage;
    const x0 = Math.floor(random() * (img.width - size + 1));
    const y0 = Math.floor(random() * (img.height - size + 1));
    let mean = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = img.pixels[(y0 + y) * img.width + x0 + x] as number;
        out[p * area + y * size + x] = v;
        mean += v;
      }
    }
    if (options.removeMean ?? true) {
      mean /= area;
      for (let q = 0; q < area; q++) out[p * area + q] = (out[p * area + q] as number) - mean;
    }
  }
  return out;
}
