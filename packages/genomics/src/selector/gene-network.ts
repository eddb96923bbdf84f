import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';
import { denseInput } from './dense-input.js';
import type { GeneInputLayer, InputLayer } from './gene-input-layer.js';
import { kaiming } from './kaiming.js';
import { spredMaskInput } from './spred-mask-input.js';
import { checkGeneSet } from './working-set.js';

export type { InputLayer } from './gene-input-layer.js';

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
  /**
   * Multiplies the first layer's initial value (each spred factor by its square root). Default 1.
   * A Kaiming first layer over 10⁴ genes starts with a group norm Σ‖V_i‖ ≈ √(2·width·genes), so
   * spred's penalty at the start is hundreds of times the data loss and the first epochs only
   * shrink it; a small scale starts near the sparse solutions instead.
   */
  readonly initScale?: number;
  /**
   * The working set to start on (spred only; ascending, distinct): the first layer holds rows for
   * these genes only, the others are exact zeros until {@link GeneNetwork.setActiveGenes} lets them
   * in. Default every gene. Over 10⁴ genes a screened start saves drawing and training rows that
   * the penalty would only shrink to zero.
   */
  readonly genes?: Int32Array;
}

/** Hidden widths of the MLP head when the spec names none (the paper's). */
const DEFAULT_HIDDEN: readonly number[] = [1024, 1024];

let networkCount = 0;

/**
 * A classifier of expression profiles: a first layer over the genes shared by a linear head and/or
 * an MLP head (ReLU). With `input: 'spred'` the first layer is `grouped([genes, width], {axis: 0})`
 * from `@spredjs/core` — the concatenated first-layer weights of both heads, one scale u_i per gene —
 * so the smooth penalty κ(Σu_i² + ‖W_lin‖² + ‖W_mlp,1‖²) is the group lasso 2κ Σ_i ‖V_i‖ on genes:
 * genes leave both heads together. Predictions average the heads' class probabilities.
 */
export class GeneNetwork {
  readonly spec: GeneNetworkSpec;
  /** First-layer biases and every later layer: the parameters a small weight decay applies to. */
  readonly otherVariables: readonly tf.Variable[];
  private readonly linearWidth: number;
  private readonly mlpLayers: { kernel: tf.Variable; bias: tf.Variable }[];
  private readonly linearBias: tf.Variable | undefined;
  private readonly firstMlpBias: tf.Variable | undefined;
  private first: GeneInputLayer;
  /** The genes the first layer holds (the working set), ascending; `undefined`: every gene. */
  private active: Int32Array | undefined;
  private activeIndex: tf.Tensor1D | undefined;
  private readonly id: string;
  private generation = 0;
  private columnCache: { x: tf.Tensor2D; columns: tf.Tensor2D } | undefined;

  constructor(spec: GeneNetworkSpec) {
    if (spec.initScale !== undefined && !(spec.initScale > 0 && Number.isFinite(spec.initScale)))
      throw new SpredInputError(`initScale must be a positive number, got ${spec.initScale}`);
    if (spec.heads.length === 0)
      throw new SpredInputError('a gene network needs at least one head');
    const hidden = spec.hidden ?? DEFAULT_HIDDEN;
    if (spec.heads.includes('mlp') && hidden.length === 0)
      throw new SpredInputError('the MLP head needs at least one hidden layer');
    this.spec = spec;
    const id = `gene-net-${networkCount++}`;
    this.id = id;
    const seed = spec.seed ?? 0;
    const hasLinear = spec.heads.includes('linear');
    const hasMlp = spec.heads.includes('mlp');
    this.linearWidth = hasLinear ? spec.classes : 0;
    const width = this.linearWidth + (hasMlp ? (hidden[0] as number) : 0);
    if (spec.genes !== undefined) {
      if (spec.input !== 'spred')
        throw new SpredInputError('only a spred first layer has a working set of genes');
      checkGeneSet(spec.genes, spec.inputs);
    }
    this.first =
      spec.input === 'spred'
        ? spredMaskInput({
            genes: spec.genes?.length ?? spec.inputs,
            width,
            kappa: spec.kappa ?? 0.1,
            seed,
            ...(spec.init !== undefined ? { init: spec.init } : {}),
            ...(spec.initScale !== undefined ? { initScale: spec.initScale } : {}),
            name: `${id}/mask`,
          })
        : denseInput({
            genes: spec.inputs,
            width,
            seed,
            ...(spec.initScale !== undefined ? { initScale: spec.initScale } : {}),
            ...(spec.input === 'l1' ? { l1: spec.kappa ?? 0 } : {}),
            name: `${id}/first/kernel`,
          });
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
    if (spec.genes !== undefined && spec.genes.length < spec.inputs) {
      this.active = Int32Array.from(spec.genes);
      this.activeIndex = tf.tensor1d(spec.genes, 'int32');
    }
  }

  /** The first layer [genes held, width]: a spred mask, a dense kernel, or a naive-L1 one. */
  get firstLayer(): GeneInputLayer {
    return this.first;
  }

  /** The trainable variables of the first layer (spred factors, or the dense kernel). */
  get firstLayerVariables(): readonly tf.Variable[] {
    return this.first.variables;
  }

  /**
   * The genes the first layer holds, ascending: every gene, until {@link setActiveGenes} narrows
   * the working set. The others have exact-zero rows.
   */
  get activeGenes(): Int32Array {
    return this.active ?? Int32Array.from({ length: this.spec.inputs }, (_, i) => i);
  }

  /**
   * Moves the spred first layer to a new working set of genes (ascending, distinct). Genes already
   * held keep their factors; a gene new to the set starts at the balanced factorization of its row
   * in `entering` ([genes.length, width]; rows of held genes are ignored), or at 0 without it.
   * Later calls see inputs with all `spec.inputs` genes and read only these columns.
   */
  setActiveGenes(genes: Int32Array, entering?: tf.Tensor2D): void {
    const old = this.first;
    if (old.withGenes === undefined)
      throw new SpredInputError('only a spred first layer has a working set of genes');
    if (old.collapsedAt !== undefined)
      throw new SpredInputError('the working set is fixed once the network is collapsed');
    checkGeneSet(genes, this.spec.inputs);
    this.first = old.withGenes(
      this.activeGenes,
      genes,
      entering,
      `${this.id}/mask-${++this.generation}`,
    );
    old.dispose();
    this.activeIndex?.dispose();
    this.columnCache?.columns.dispose();
    this.columnCache = undefined;
    const all = genes.length === this.spec.inputs;
    this.active = all ? undefined : Int32Array.from(genes);
    this.activeIndex = all ? undefined : tf.tensor1d(genes, 'int32');
  }

  /**
   * Starts from `previous`'s state, as a warm start along a κ path (glmnet's): the same working set
   * of genes, first-layer factors and later layers; only κ may differ. The raw factors are copied,
   * so a collapse of `previous` is not (its thresholded rows are tiny, not zero, here). `previous`
   * is left as it is.
   */
  warmStartFrom(previous: GeneNetwork): void {
    const a = this.spec;
    const b = previous.spec;
    const same =
      a.inputs === b.inputs &&
      a.classes === b.classes &&
      a.input === b.input &&
      a.heads.join() === b.heads.join() &&
      (a.hidden ?? DEFAULT_HIDDEN).join() === (b.hidden ?? DEFAULT_HIDDEN).join();
    if (!same) throw new SpredInputError('a warm start needs a network of the same architecture');
    if (this.first.collapsedAt !== undefined)
      throw new SpredInputError('a collapsed network cannot be warm-started');
    const from = previous.activeGenes;
    const here = this.activeGenes;
    if (from.length !== here.length || from.some((g, i) => g !== here[i]))
      this.setActiveGenes(from);
    const assign = (to: readonly tf.Variable[], from: readonly tf.Variable[]) =>
      to.forEach((v, i) => v.assign(from[i] as tf.Variable));
    assign(this.first.variables, previous.first.variables);
    assign(this.otherVariables, previous.otherVariables);
  }

  /**
   * ∂L/∂V_i of the data loss (the heads' cross-entropies, no penalty) for the first-layer row of
   * every gene in `genes` ([genes.length, width]), held or not (a row not held counts as 0). For
   * spred their norms are the optimality conditions of the group lasso it stands for: at a minimum a
   * zero row's gradient has norm at most 2κ, a nonzero row's exactly 2κ.
   */
  dataGradient(x: tf.Tensor2D, oneHot: tf.Tensor2D, genes: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const dz = this.outputGradient(x, oneHot);
      const columns = tf.gather(x, tf.tensor1d(genes, 'int32'), 1);
      return tf.matMul(columns, dz, true, false);
    });
  }

  /**
   * ‖∂L/∂V_i‖ of the data loss for every gene (held or not), without forming the gradient: with
   * D = ∂L/∂Z [n, width] at the first layer's output, ‖x_iᵀD‖² = x_iᵀ(DDᵀ)x_i, so one product
   * with the n × n matrix DDᵀ replaces one with D (n ≪ width on expression data: ~4× fewer
   * flops at n = 67, width 258). The optimality check and the working set's growth read these.
   */
  dataGradientNorms(x: tf.Tensor2D, oneHot: tf.Tensor2D): Float64Array {
    const norms = this.dataGradientNormsTensor(x, oneHot);
    try {
      return Float64Array.from(norms.dataSync());
    } finally {
      norms.dispose();
    }
  }

  /**
   * {@link GeneNetwork.dataGradientNorms} read through `await data()`, for backends whose
   * synchronous reads throw (WebGPU in Node).
   *
   * @example
   * ```ts
   * const norms = await network.dataGradientNormsAsync(x, oneHot); // one per gene
   * ```
   */
  async dataGradientNormsAsync(x: tf.Tensor2D, oneHot: tf.Tensor2D): Promise<Float64Array> {
    const norms = this.dataGradientNormsTensor(x, oneHot);
    try {
      return Float64Array.from(await norms.data());
    } finally {
      norms.dispose();
    }
  }

  private dataGradientNormsTensor(x: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => {
      const dz = this.outputGradient(x, oneHot);
      const gram = tf.matMul(dz, dz, false, true);
      const squared = tf.sum(tf.mul(tf.matMul(gram, x), x), 0);
      return tf.sqrt(tf.relu(squared));
    });
  }

  /** D = ∂L/∂Z [n, width] of the data loss at the first layer's output Z = X_held·V. */
  private outputGradient(x: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() =>
      tf.grad((zz: tf.Tensor) => this.dataLoss(this.headLogits(zz as tf.Tensor2D), oneHot))(
        this.firstLayerOutput(x),
      ),
    ) as tf.Tensor2D;
  }

  /** Logits of every head, in `spec.heads` order. */
  logits(x: tf.Tensor2D): tf.Tensor2D[] {
    return tf.tidy(() => this.headLogits(this.firstLayerOutput(x)));
  }

  /** The first layer's output [n, width] for inputs with every gene. */
  private firstLayerOutput(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(this.heldColumns(x), this.first.value()));
  }

  /**
   * The columns of `x` of the genes held. The last input's are kept until the working set changes
   * (training reads the same x every epoch); the tensor belongs to the network.
   */
  private heldColumns(x: tf.Tensor2D): tf.Tensor2D {
    if (this.activeIndex === undefined) return x;
    const cached = this.columnCache;
    if (cached !== undefined && cached.x === x && !x.isDisposed) return cached.columns;
    cached?.columns.dispose();
    const columns = tf.keep(tf.gather(x, this.activeIndex, 1));
    this.columnCache = { x, columns };
    return columns;
  }

  private headLogits(z: tf.Tensor2D): tf.Tensor2D[] {
    return tf.tidy(() => {
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
    return tf.tidy(() => tf.add(this.dataLoss(this.logits(x), oneHot), this.penalty()));
  }

  private dataLoss(logits: readonly tf.Tensor2D[], oneHot: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() =>
      tf.addN(logits.map((l) => tf.losses.softmaxCrossEntropy(oneHot, l))),
    ) as tf.Scalar;
  }

  /** The first layer's penalty: κ(‖U‖² + ‖W‖²) for spred, λ‖W‖₁ for naive L1, 0 for dense. */
  penalty(): tf.Scalar {
    return this.first.penalty();
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
    return this.perGene(() => this.first.geneWeights());
  }

  /**
   * {@link GeneNetwork.geneWeights} read through `await data()` (for WebGPU in Node).
   *
   * @example
   * ```ts
   * const weights = await network.geneWeightsAsync(); // one per gene, 0 outside the working set
   * ```
   */
  geneWeightsAsync(): Promise<Float64Array> {
    return this.perGeneAsync(() => this.first.geneWeights());
  }

  /** ‖V_i‖ of every gene's first-layer row (the group norms the penalty acts on; 0 outside the working set). */
  rowNorms(): Float64Array {
    return this.perGene(() => this.first.groupNorms());
  }

  /**
   * {@link GeneNetwork.rowNorms} read through `await data()` (for WebGPU in Node).
   *
   * @example
   * ```ts
   * const kept = (await network.rowNormsAsync()).filter((v) => v > 0).length;
   * ```
   */
  rowNormsAsync(): Promise<Float64Array> {
    return this.perGeneAsync(() => this.first.groupNorms());
  }

  /** One value per held gene, read back and spread over every gene (0 for genes not held). */
  private perGene(values: () => tf.Tensor): Float64Array {
    const t = tf.tidy(values);
    try {
      return this.spread(t.dataSync());
    } finally {
      t.dispose();
    }
  }

  private async perGeneAsync(values: () => tf.Tensor): Promise<Float64Array> {
    const t = tf.tidy(values);
    try {
      return this.spread(await t.data());
    } finally {
      t.dispose();
    }
  }

  private spread(held: ArrayLike<number>): Float64Array {
    if (this.active === undefined) return Float64Array.from(held);
    const out = new Float64Array(this.spec.inputs);
    this.active.forEach((g, i) => (out[g] = held[i] as number));
    return out;
  }

  /**
   * Deploys exact zeros: from now on every gene row of norm at most `threshold` is 0 (spred's final
   * threshold; core's `collapse()` for the spred mask). Returns how many genes remain.
   */
  collapse(threshold: number): number {
    // The working set stays: rows outside it are zero already.
    this.first.collapse(threshold);
    return countNonzero(this.rowNorms());
  }

  /**
   * {@link GeneNetwork.collapse} with its read awaited (for WebGPU in Node).
   *
   * @example
   * ```ts
   * const genesKept = await network.collapseAsync(1e-3 * largestRow);
   * ```
   */
  async collapseAsync(threshold: number): Promise<number> {
    this.first.collapse(threshold);
    return countNonzero(await this.rowNormsAsync());
  }

  /** Every trainable variable. */
  get variables(): tf.Variable[] {
    return [...this.firstLayerVariables, ...this.otherVariables];
  }

  dispose(): void {
    this.first.dispose();
    tf.dispose([...this.otherVariables]);
    this.activeIndex?.dispose();
    this.columnCache?.columns.dispose();
    this.columnCache = undefined;
  }
}

function countNonzero(values: Float64Array): number {
  return values.reduce((c, v) => c + (v > 0 ? 1 : 0), 0);
}

/** A trainable variable holding `initial`, which it disposes. */
function ownedVariable(initial: tf.Tensor, name: string): tf.Variable {
  const v = tf.variable(initial, true, name);
  initial.dispose();
  return v;
}
