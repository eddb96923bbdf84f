import { hadamardProduct, l1Term, tfSeed, type L1Term } from '@spredjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { balancedFactors, groupAxis, scaleShape, type SpredStructure } from './spred-kernel.js';

/** Activations spred layers accept, by their tfjs-layers names. */
export type SpredActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'swish' | 'elu';

/** Options every spred layer shares (besides its own shape options). */
export interface SpredLayerArgs {
  /** κ in κ(‖U‖² + ‖W‖²): an L1 penalty 2κ‖kernel‖₁ (group L1 for structured layers). */
  readonly kappa: number;
  readonly structure?: SpredStructure;
  readonly activation?: SpredActivation;
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

/** The activations spred layers accept, applied by name. */
export function applyActivation(x: tf.Tensor, name: SpredActivation): tf.Tensor {
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
  }
}

/**
 * What SpredDense and SpredConv2D share: a kernel stored as U ⊙ W with L2 regularizers κ on both
 * factors (U unit-variance normal, W He-normal: the paper's init), an optional bias, an activation,
 * and the common part of their config.
 */
export abstract class SpredKernelLayer extends tfl.layers.Layer {
  readonly kappa: number;
  readonly structure: SpredStructure;
  readonly activationName: SpredActivation;
  readonly useBias: boolean;
  readonly seed: number | undefined;
  private u?: tfl.LayerVariable;
  private w?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;

  constructor(args: SpredLayerArgs) {
    const { inputShape, batchInputShape, batchSize, name, trainable, dtype } = args;
    super(
      Object.fromEntries(
        Object.entries({ inputShape, batchInputShape, batchSize, name, trainable, dtype }).filter(
          ([, v]) => v !== undefined,
        ),
      ),
    );
    this.kappa = args.kappa;
    this.structure = args.structure ?? 'elementwise';
    this.activationName = args.activation ?? 'linear';
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  /** Creates U, W (of `kernelShape`) and the bias (of `units`). */
  protected buildFactors(kernelShape: number[], units: number): void {
    const regularizer = tfl.regularizers.l2({ l2: this.kappa });
    const seed = this.seed;
    this.u = this.addWeight(
      'u',
      scaleShape(kernelShape, this.structure),
      'float32',
      tfl.initializers.randomNormal({
        mean: 0,
        stddev: 1,
        ...(seed === undefined ? {} : { seed: tfSeed(seed) }),
      }),
      regularizer,
    );
    this.w = this.addWeight(
      'w',
      kernelShape,
      'float32',
      tfl.initializers.heNormal({ ...(seed === undefined ? {} : { seed: tfSeed(seed + 1) }) }),
      regularizer,
    );
    if (this.useBias)
      this.bias = this.addWeight('bias', [units], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  /** U ⊙ W, the effective kernel. */
  kernel(): tf.Tensor {
    const u = (this.u as tfl.LayerVariable).read();
    const w = (this.w as tfl.LayerVariable).read();
    return this.structure === 'elementwise' ? hadamardProduct(u, w) : tf.mul(u, w);
  }

  /**
   * Moves the kernel's factors to value space, U = 1 and W = V (the same kernel), and returns the
   * L1 term W then holds, 2κ‖V‖₁ (group L1 for structured layers): the certificate and `polish`
   * work on V there. {@link SpredKernelLayer.rebalance} returns to the balanced factors.
   */
  valueSpace(): L1Term {
    const [u, w] = this.factors();
    tf.tidy(() => {
      const v = this.kernel();
      u.assign(tf.onesLike(u));
      w.assign(v);
    });
    const axis = groupAxis(w.rank, this.structure);
    return l1Term(w, {
      kappa: this.kappa,
      name: this.name,
      ...(axis === undefined ? {} : { axis }),
    });
  }

  /** Sets the balanced factorization of the current kernel (|U| = |W|, zeros as U = W = 0). */
  async rebalance(): Promise<void> {
    const v = this.kernel();
    try {
      const [u, w] = await balancedFactors(v, this.structure);
      const [uVariable, wVariable] = this.factors();
      uVariable.assign(u);
      wVariable.assign(w);
      tf.dispose([u, w]);
    } finally {
      v.dispose();
    }
  }

  /** The tf.Variables of U and W (what tfjs-layers' LayerVariables hold). */
  factors(): [tf.Variable, tf.Variable] {
    if (this.u === undefined || this.w === undefined)
      throw new Error(`internal: layer '${this.name}' is not built`);
    return [this.u.read() as tf.Variable, this.w.read() as tf.Variable];
  }

  /** Adds the bias and applies the activation to a pre-activation. */
  protected finish(preActivation: tf.Tensor): tf.Tensor {
    const out = this.bias === undefined ? preActivation : tf.add(preActivation, this.bias.read());
    return applyActivation(out, this.activationName);
  }

  /** The config keys every spred layer has. */
  protected spredConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kappa: this.kappa,
      structure: this.structure,
      activation: this.activationName,
      useBias: this.useBias,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
