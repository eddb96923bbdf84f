import * as tfl from '@tensorflow/tfjs-layers';
import { tfSeed } from '@spredjs/core';

/** Options of {@link lenet5}. */
export interface LeNet5Options {
  /** Shape of one image, channels last. Default `[28, 28, 1]` (MNIST, Fashion-MNIST). */
  readonly inputShape?: [number, number, number];
  /** Default 10. */
  readonly classes?: number;
  readonly seed?: number;
}

/**
 * LeNet-5 (LeCun et al. 1998) as pruning papers use it: a 5×5 convolution of 6 filters (padding
 * 'same', so a 28×28 image is treated like the original's 32×32), ReLU, 2×2 max pooling, a 5×5
 * convolution of 16 filters ('valid'), ReLU, 2×2 max pooling, then Dense 120 → 84 → classes with
 * ReLU between and logits out. Kernels are He-normal (the logits Glorot-normal), seeded as in
 * `mlp`: the same seed gives the same weights. 61,706 trainable parameters for 28×28×1 and 10
 * classes.
 *
 * @example
 * ```ts
 * const model = lenet5({ inputShape: [28, 28, 1], classes: 10, seed: 0 });
 * const logits = model.predict(images) as tf.Tensor; // [n, 10]
 * ```
 */
export function lenet5(options: LeNet5Options = {}): tfl.LayersModel {
  let seed = options.seed ?? 0;
  const he = () => tfl.initializers.heNormal({ seed: tfSeed(seed++) });
  const layers: tfl.layers.Layer[] = [
    tfl.layers.conv2d({
      inputShape: [...(options.inputShape ?? [28, 28, 1])],
      filters: 6,
      kernelSize: 5,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: he(),
    }),
    tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    tfl.layers.conv2d({
      filters: 16,
      kernelSize: 5,
      padding: 'valid',
      activation: 'relu',
      kernelInitializer: he(),
    }),
    tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 120, activation: 'relu', kernelInitializer: he() }),
    tfl.layers.dense({ units: 84, activation: 'relu', kernelInitializer: he() }),
    tfl.layers.dense({
      units: options.classes ?? 10,
      kernelInitializer: tfl.initializers.glorotNormal({ seed: tfSeed(seed++) }),
    }),
  ];
  return tfl.sequential({ layers, name: 'lenet5' });
}
