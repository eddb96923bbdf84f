import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '@spred/optim';

/** Options of {@link randomCropFlip}. */
export interface CropFlipOptions {
  /** Zero padding on each side before the random crop back to the input size. Default 4. */
  readonly padding?: number;
  /** Flip each image left–right with probability 1/2. Default true. */
  readonly flip?: boolean;
  /** Seed of the crop offsets and flips (use a new one per batch). */
  readonly seed: number;
}

/**
 * The standard augmentation of CIFAR training (He et al. 2016): pad every image of the batch
 * [N, H, W, C] with zeros, crop a random H × W window, and flip it left–right half the time.
 * Seeded: the same seed gives the same batch.
 */
export function randomCropFlip(images: tf.Tensor4D, options: CropFlipOptions): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const pad = options.padding ?? 4;
  const flip = options.flip ?? true;
  const random = mulberry32(options.seed);
  const source = images.dataSync();
  const out = new Float32Array(source.length);
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(random() * (2 * pad + 1)) - pad;
    const dx = Math.floor(random() * (2 * pad + 1)) - pad;
    const mirrored = flip && random() < 0.5;
    const base = i * h * w * c;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < w; x++) {
        const sx = (mirrored ? w - 1 - x : x) + dx;
        if (sx < 0 || sx >= w) continue;
        const to = base + (y * w + x) * c;
        const from = base + (sy * w + sx) * c;
        for (let k = 0; k < c; k++) out[to + k] = source[from + k] as number;
      }
    }
  }
  return tf.tensor4d(out, [n, h, w, c]);
}
