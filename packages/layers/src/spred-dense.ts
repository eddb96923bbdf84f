import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { scaleShape, type SpredStructure } from './spred-kernel.js';

/** Options of {@link SpredDense}: those of `tf.layers.dense` plus spred's. */
export interface SpredDenseArgs {
  readonly units: number;
  /** κ in κ(‖U‖² + ‖W‖²), i.e. an L1 penalty 2κ‖kernel‖₁ (group L1 for structured). */
  readonly kappa: number;
  readonly structure?: SpredStructure;
  readonly activation?: 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'swish' | 'elu';
  readonly useBias?: boolean;
  readonly seed?: number;
  /** The standard layer arguments, passed on to tfjs's Layer (deserialization sets batchInputShape). */
  readonly inputShape?: (number | null)[];
  readonly batchInputShape?: (number | null)[];
  readonly batchSize?: number;
  readonly name?: string;
  readonly trainable?: boolean;
  readonly dtype?: 'float32';
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
export class SpredDense extends tfl.layers.Layer {
  static readonly className = 'SpredDense';
  readonly units: number;
  readonly kappa: number;
  readonly structure: SpredStructure;
  readonly activationName: NonNullable<SpredDenseArgs['activation']>;
  readonly useBias: boolean;
  readonly seed: number | undefined;
  private u?: tfl.LayerVariable;
  private w?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;

  constructor(args: SpredDenseArgs) {
    const { inputShape, batchInputShape, batchSize, name, trainable, dtype } = args;
    super(
      Object.fromEntries(
        Object.entries({ inputShape, batchInputShape, batchSize, name, trainable, dtype }).filter(
          ([, v]) => v !== undefined,
        ),
      ),
    );
    this.units = args.units;
    this.kappa = args.kappa;
    this.structure = args.structure ?? 'elementwise';
    this.activationName = args.activation ?? 'linear';
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const inputDim = shape[shape.length - 1] as number;
    const kernelShape = [inputDim, this.units];
    const regularizer = tfl.regularizers.l2({ l2: this.kappa });
    const seed = this.seed;
    this.u = this.addWeight(
      'u',
      scaleShape(kernelShape, this.structure),
      'float32',
      tfl.initializers.randomNormal({
        mean: 0,
        stddev: 1,
        ...(seed === undefined ? {} : { seed }),
      }),
      regularizer,
    );
    this.w = this.addWeight(
      'w',
      kernelShape,
      'float32',
      tfl.initializers.heNormal({ ...(seed === undefined ? {} : { seed: seed + 1 }) }),
      regularizer,
    );
    if (this.useBias)
      this.bias = this.addWeight('bias', [this.units], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  /** U ⊙ W, the effective kernel. */
  kernel(): tf.Tensor {
    return tf.mul((this.u as tfl.LayerVariable).read(), (this.w as tfl.LayerVariable).read());
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      let out = tf.matMul(x, this.kernel());
      if (this.bias !== undefined) out = tf.add(out, this.bias.read());
      return applyActivation(out, this.activationName);
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      kappa: this.kappa,
      structure: this.structure,
      activation: this.activationName,
      useBias: this.useBias,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}

/** The activations spred layers accept, by name. */
export function applyActivation(x: tf.Tensor, name: string): tf.Tensor {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'softmax':
      return tf.softmax(x);
    case 'elu':
      return tf.elu(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    default:
      throw new Error(`unknown activation '${name}'`);
  }
}

tf.serialization.registerClass(SpredDense);
