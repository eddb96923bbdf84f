import * as tf from '@tensorflow/tfjs-core';
import { tfSeed } from '@spredjs/core';

/**
 * A Kaiming-normal (He) kernel for ReLU layers: N(0, 2/fan), seeded. The gene network's dense
 * layers all start from it.
 *
 * @example
 * ```ts
 * const kernel = kaiming([2000, 1024], 2000, 7); // fan-in 2000, seed 7
 * ```
 */
export function kaiming(shape: [number, number], fan: number, seed: number): tf.Tensor2D {
  return tf.randomNormal(shape, 0, Math.sqrt(2 / fan), 'float32', tfSeed(seed));
}
