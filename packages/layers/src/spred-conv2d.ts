import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredKernelLayer, type SpredLayerArgs } from './spred-kernel-layer.js';

/** Options of {@link SpredConv2D}: those of `tf.layers.conv2d` (channels-last, no dilation) plus spred's. */
export interface SpredConv2DArgs extends SpredLayerArgs {
  readonly filters: number;
  readonly kernelSize: number | [number, number];
  readonly strides?: number | [number, number];
  readonly padding?: 'same' | 'valid';
}

const pair = (v: number | [number, number]): [number, number] =>
  typeof v === 'number' ? [v, v] : v;

/**
 * A 2-D convolution whose kernel [kh, kw, in, filters] is U ⊙ W with L2 regularizers κ on both
 * factors: `model.fit` then minimizes the loss plus an L1 penalty on the kernel (group L1 over
 * filters with `structure: 'neurons'`, over input channels with `'inputs'`).
 *
 * @example
 * ```ts
 * new SpredConv2D({ filters: 64, kernelSize: 3, padding: 'same', kappa: 5e-5, structure: 'neurons' });
 * ```
 */
export class SpredConv2D extends SpredKernelLayer {
  static readonly className = 'SpredConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';

  constructor(args: SpredConv2DArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize);
    this.strides = pair(args.strides ?? 1);
    this.padding = args.padding ?? 'valid';
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    this.buildFactors(
      [...this.kernelSize, shape[shape.length - 1] as number, this.filters],
      this.filters,
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      return this.finish(tf.conv2d(x, this.kernel() as tf.Tensor4D, this.strides, this.padding));
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const out = [1, 2].map((axis, i) => {
      const size = shape[axis];
      if (size === null || size === undefined) return null;
      const stride = this.strides[i] as number;
      return this.padding === 'same'
        ? Math.ceil(size / stride)
        : Math.ceil((size - (this.kernelSize[i] as number) + 1) / stride);
    });
    return [shape[0] ?? null, out[0] ?? null, out[1] ?? null, this.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...this.spredConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
    };
  }
}

tf.serialization.registerClass(SpredConv2D);
