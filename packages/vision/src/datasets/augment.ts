import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '@spredjs/optim';

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
 * Seeded: the same seed gives the same batch. Only the crop offsets and flips are drawn on the
 * CPU; the pixels move in one gather on the backend, so nothing is read back (it runs where
 * synchronous reads throw, as on WebGPU in Node).
 *
 * @example
 * ```ts
 * const augmented = randomCropFlip(batch, { seed: 17 }); // [N, 32, 32, 3], padding 4
 * ```
 */
export function randomCropFlip(images: tf.Tensor4D, options: CropFlipOptions): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const pad = options.padding ?? 4;
  const flip = options.flip ?? true;
  const random = mulberry32(options.seed);
  const [paddedH, paddedW] = [h + 2 * pad, w + 2 * pad];
  // Output pixel (i, y, x) is pixel (i, y + dy, x' + dx) of the image, x' = x or its mirror, i.e.
  // pixel (i, y + dy + pad, x' + dx + pad) of the zero-padded one (|dy|, |dx| ≤ pad: always inside).
  const source = new Int32Array(n * h * w);
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(random() * (2 * pad + 1)) - pad;
    const dx = Math.floor(random() * (2 * pad + 1)) - pad;
    const mirrored = flip && random() < 0.5;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const sx = (mirrored ? w - 1 - x : x) + dx;
        source[(i * h + y) * w + x] = (i * paddedH + y + dy + pad) * paddedW + sx + pad;
      }
  }
  return tf.tidy(() => {
    const padded = tf.pad(tf.cast(images, 'float32'), [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ]);
    const pixels = tf.reshape(padded, [n * paddedH * paddedW, c]);
    return tf.reshape(tf.gather(pixels, tf.tensor1d(source, 'int32')), [n, h, w, c]);
  });
}
