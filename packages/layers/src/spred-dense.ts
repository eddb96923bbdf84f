import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredKernelLayer, type SpredLayerArgs } from './spred-kernel-layer.js';

/** Options of {@link SpredDense}: those of `tf.layers.dense` plus spred's. */
export interface SpredDenseArgs extends SpredLayerArgs {
  readonly units: number;
}

/**
 * A dense layer whose kernel is U ⊙ W with L2 regularizers κ on both factors — so `model.fit`
 * minimizes the loss plus 2κ‖kernel‖₁ with no change to the training code. `structure: 'neurons'`
 * uses one scale per output unit (node sparsity), `'inputs'` one per input feature.
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [new SpredDense({ units: 100, kappa: 1e-4, inputShape: [784], activation: 'relu' }), tf.layers.dense({ units: 10 })] });
 * ```
 */
export class SpredDense extends SpredKernelLayer {
  static readonly className = 'SpredDense';
  readonly units: number;

  constructor(args: SpredDenseArgs) {
    super(args);
    this.units = args.units;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    this.buildFactors([shape[shape.length - 1] as number, this.units], this.units);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() =>
      this.finish(
        tf.matMul(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, this.kernel()),
      ),
    );
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.spredConfig(), units: this.units };
  }
}

tf.serialization.registerClass(SpredDense);
