import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { applyActivation } from './spred-dense.js';
import { scaleShape, type SpredStructure } from './spred-kernel.js';

/** Options of {@link SpredConv2D}: those of `tf.layers.conv2d` (channels-last, no dilation) plus spred's. */
export interface SpredConv2DArgs {
  readonly filters: number;
  readonly kernelSize: number | [number, number];
  readonly strides?: number | [number, number];
  readonly padding?: 'same' | 'valid';
  /** κ in κ(‖U‖² + ‖W‖²): 2κ‖kernel‖₁, or 2κ Σ ‖filter‖₂ with structure 'neurons' (filter pruning). */
  readonly kappa: number;
  readonly structure?: SpredStructure;
  readonly activation?: 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'swish' | 'elu';
  readonly useBias?: boolean;
  readonly seed?: number;
  readonly inputShape?: (number | null)[];
  readonly batchInputShape?: (number | null)[];
  readonly batchSize?: number;
  readonly name?: string;
  readonly trainable?: boolean;
  readonly dtype?: 'float32';
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
export class SpredConv2D extends tfl.layers.Layer {
  static readonly className = 'SpredConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
  readonly kappa: number;
  readonly structure: SpredStructure;
  readonly activationName: NonNullable<SpredConv2DArgs['activation']>;
  readonly useBias: boolean;
  readonly seed: number | undefined;
  private u?: tfl.LayerVariable;
  private w?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;

  constructor(args: SpredConv2DArgs) {
    const { inputShape, batchInputShape, batchSize, name, trainable, dtype } = args;
    super(
      Object.fromEntries(
        Object.entries({ inputShape, batchInputShape, batchSize, name, trainable, dtype }).filter(
          ([, v]) => v !== undefined,
        ),
      ),
    );
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize);
    this.strides = pair(args.strides ?? 1);
    this.padding = args.padding ?? 'valid';
    this.kappa = args.kappa;
    this.structure = args.structure ?? 'elementwise';
    this.activationName = args.activation ?? 'linear';
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const kernelShape = [...this.kernelSize, shape[shape.length - 1] as number, this.filters];
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
      this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  /** U ⊙ W, the effective kernel. */
  kernel(): tf.Tensor4D {
    return tf.mul(
      (this.u as tfl.LayerVariable).read(),
      (this.w as tfl.LayerVariable).read(),
    ) as tf.Tensor4D;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      let out: tf.Tensor = tf.conv2d(x, this.kernel(), this.strides, this.padding);
      if (this.bias !== undefined) out = tf.add(out, this.bias.read());
      return applyActivation(out, this.activationName);
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
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      kappa: this.kappa,
      structure: this.structure,
      activation: this.activationName,
      useBias: this.useBias,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}

tf.serialization.registerClass(SpredConv2D);
