import * as tf from '@tensorflow/tfjs-core';
import { grouped, SpredInputError, tfSeed, type Reparametrization } from '@spred/core';

/** How the network reads its input genes. */
export type InputLayer =
  /** One shared spred mask U: V_i = u_i · W_i over every first-layer row, penalty κ(‖U‖² + ‖W‖²) (group lasso on genes). */
  | 'spred'
  /** Plain dense first layer (weight decay like the other layers). */
  | 'dense'
  /** Dense first layer with the naive L1 penalty λ‖W‖₁, trained by subgradient. */
  | 'l1';

/** The architecture of a {@link GeneNetwork}. */
export interface GeneNetworkSpec {
  /** Genes (input features). */
  readonly inputs: number;
  readonly classes: number;
  /** Output heads reading the same first layer: the paper's ensemble is both. */
  readonly heads: readonly ('linear' | 'mlp')[];
  /** Hidden widths of the MLP head (first one reads the genes). Default [1024, 1024]. */
  readonly hidden?: readonly number[];
  readonly input: InputLayer;
  /** κ of the spred mask, or λ of the naive L1 penalty. */
  readonly kappa?: number;
  /** Seed of every initialization. */
  readonly seed?: number;
  /**
   * Start of the spred mask. Default `'balanced-sqrt'`: a Kaiming first layer factored as
   * u_i = √‖V_i‖, W_i = V_i/u_i. (Group scales keep no sign lock: W_i's direction stays free.)
   */
  readonly init?: 'balanced-sqrt' | 'kaiming-unit';
}

let networkCount = 0;

/**
 * A classifier of expression profiles: a first layer over the genes shared by a linear head and/or
 * an MLP head (ReLU). With `input: 'spred'` the first layer is `grouped([genes, width], {axis: 0})`
 * from `@spred/core` — the concatenated first-layer weights of both heads, one scale u_i per gene —
 * so the smooth penalty κ(Σu_i² + ‖W_lin‖² + ‖W_mlp,1‖²) is the group lasso 2κ Σ_i ‖V_i‖ on genes:
 * genes leave both heads together. Predictions average the heads' class probabilities.
 */
export class GeneNetwork {
  readonly spec: GeneNetworkSpec;
  /** The first layer: a spred parametrization or a plain variable [genes, width]. */
  readonly firstLayer: Reparametrization | tf.Variable;
  /** First-layer biases and every later layer: the parameters a small weight decay applies to. */
  readonly otherVariables: readonly tf.Variable[];
  private readonly linearWidth: number;
  private readonly mlpLayers: { kernel: tf.Variable; bias: tf.Variable }[];
  private readonly linearBias: tf.Variable | undefined;
  private readonly firstMlpBias: tf.Variable | undefined;
  private override: tf.Tensor2D | undefined;

  constructor(spec: GeneNetworkSpec) {
    if (spec.heads.length === 0)
      throw new SpredInputError('a gene network needs at least one head');
    const hidden = spec.hidden ?? [1024, 1024];
    if (spec.heads.includes('mlp') && hidden.length === 0)
      throw new SpredInputError('the MLP head needs at least one hidden layer');
    this.spec = spec;
    const id = `gene-net-${networkCount++}`;
    const seed = spec.seed ?? 0;
    const hasLinear = spec.heads.includes('linear');
    const hasMlp = spec.heads.includes('mlp');
    this.linearWidth = hasLinear ? spec.classes : 0;
    const width = this.linearWidth + (hasMlp ? (hidden[0] as number) : 0);
    if (spec.input === 'spred') {
      this.firstLayer = grouped([spec.inputs, width], {
        axis: 0,
        kappa: spec.kappa ?? 0.1,
        init: spec.init ?? 'balanced-sqrt',
        seed,
        name: `${id}/mask`,
      });
    } else {
      this.firstLayer = ownedVariable(
        kaiming([spec.inputs, width], spec.inputs, seed),
        `${id}/first/kernel`,
      );
    }
    const others: tf.Variable[] = [];
    if (hasLinear) {
      this.linearBias = ownedVariable(tf.zeros([spec.classes]), `${id}/linear/bias`);
      others.push(this.linearBias);
    }
    this.mlpLayers = [];
    if (hasMlp) {
      this.firstMlpBias = ownedVariable(tf.zeros([hidden[0] as number]), `${id}/mlp0/bias`);
      others.push(this.firstMlpBias);
      const widths = [...hidden, spec.classes];
      for (let l = 1; l < widths.length; l++) {
        const fan = widths[l - 1] as number;
        const kernel = ownedVariable(
          kaiming([fan, widths[l] as number], fan, seed + 101 * l),
          `${id}/mlp${l}/kernel`,
        );
        const bias = ownedVariable(tf.zeros([widths[l] as number]), `${id}/mlp${l}/bias`);
        this.mlpLayers.push({ kernel, bias });
        others.push(kernel, bias);
      }
    }
    this.otherVariables = others;
  }

  /** The trainable variables of the first layer (spred factors, or the dense kernel). */
  get firstLayerVariables(): readonly tf.Variable[] {
    return this.firstLayer instanceof tf.Variable ? [this.firstLayer] : this.firstLayer.variables;
  }

  /** Logits of every head, in `spec.heads` order. */
  logits(x: tf.Tensor2D): tf.Tensor2D[] {
    return tf.tidy(() => {
      const v = this.firstLayerValue();
      const z = tf.matMul(x, v);
      const out: tf.Tensor2D[] = [];
      for (const head of this.spec.heads) {
        if (head === 'linear') {
          out.push(
            tf.add(
              tf.slice(z, [0, 0], [-1, this.linearWidth]),
              this.linearBias as tf.Variable,
            ) as tf.Tensor2D,
          );
        } else {
          let h = tf.relu(
            tf.add(tf.slice(z, [0, this.linearWidth], [-1, -1]), this.firstMlpBias as tf.Variable),
          ) as tf.Tensor2D;
          this.mlpLayers.forEach(({ kernel, bias }, l) => {
            const a = tf.add(tf.matMul(h, kernel), bias) as tf.Tensor2D;
            h = l === this.mlpLayers.length - 1 ? a : (tf.relu(a) as tf.Tensor2D);
          });
          out.push(h);
        }
      }
      return out;
    });
  }

  /** Sum over heads of the mean cross-entropy, plus the first layer's penalty (spred or L1). */
  loss(x: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      let total = tf.scalar(0);
      for (const logits of this.logits(x))
        total = tf.add(total, tf.losses.softmaxCrossEntropy(oneHot, logits));
      return tf.add(total, this.penalty());
    });
  }

  /** The first layer's penalty: κ(‖U‖² + ‖W‖²) for spred, λ‖W‖₁ for naive L1, 0 for dense. */
  penalty(): tf.Scalar {
    return tf.tidy(() => {
      if (!(this.firstLayer instanceof tf.Variable)) return this.firstLayer.penalty();
      if (this.spec.input === 'l1')
        return tf.mul(this.spec.kappa ?? 0, tf.sum(tf.abs(this.firstLayer)));
      return tf.scalar(0);
    });
  }

  /** Class probabilities: the mean of the heads' softmax outputs. */
  predictProbabilities(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const probs = this.logits(x).map((l) => tf.softmax(l));
      return tf.div(tf.addN(probs), probs.length) as tf.Tensor2D;
    });
  }

  /**
   * How much each gene is used: |u_i| for the spred mask (the ranking of the paper), else the norm of
   * the gene's first-layer row.
   */
  geneWeights(): Float64Array {
    const weights = tf.tidy(() =>
      this.firstLayer instanceof tf.Variable
        ? tf.norm(this.firstLayer, 'euclidean', 1)
        : tf.abs(this.firstLayer.variables[0] as tf.Variable),
    );
    const out = Float64Array.from(weights.dataSync());
    weights.dispose();
    return out;
  }

  /** ‖V_i‖ of every gene's first-layer row (the group norms the penalty acts on). */
  rowNorms(): Float64Array {
    const norms = tf.tidy(() => tf.norm(this.firstLayerValue(), 'euclidean', 1));
    const out = Float64Array.from(norms.dataSync());
    norms.dispose();
    return out;
  }

  /**
   * Deploys exact zeros: the first layer is replaced by its value with every gene row of norm at
   * most `threshold` set to 0 (spred's final threshold). Returns how many genes remain.
   */
  collapse(threshold: number): number {
    const [collapsed, remaining] = tf.tidy(() => {
      const v = this.firstLayerValue();
      const keep = tf.cast(tf.greater(tf.norm(v, 'euclidean', 1), threshold), 'float32');
      return [tf.mul(v, tf.expandDims(keep, 1)) as tf.Tensor2D, tf.sum(keep)];
    });
    const count = remaining.dataSync()[0] as number;
    remaining.dispose();
    this.override?.dispose();
    this.override = collapsed;
    return count;
  }

  /** Every trainable variable. */
  get variables(): tf.Variable[] {
    return [...this.firstLayerVariables, ...this.otherVariables];
  }

  dispose(): void {
    if (this.firstLayer instanceof tf.Variable) this.firstLayer.dispose();
    else this.firstLayer.dispose();
    tf.dispose([...this.otherVariables]);
    this.override?.dispose();
  }

  private firstLayerValue(): tf.Tensor2D {
    if (this.override !== undefined) return tf.clone(this.override);
    if (this.firstLayer instanceof tf.Variable) return tf.clone(this.firstLayer) as tf.Tensor2D;
    return this.firstLayer.value() as tf.Tensor2D;
  }
}

function kaiming(shape: [number, number], fan: number, seed: number): tf.Tensor2D {
  return tf.randomNormal(shape, 0, Math.sqrt(2 / fan), 'float32', tfSeed(seed));
}

/** A trainable variable holding `initial`, which it disposes. */
function ownedVariable(initial: tf.Tensor, name: string): tf.Variable {
  const v = tf.variable(initial, true, name);
  initial.dispose();
  return v;
}
