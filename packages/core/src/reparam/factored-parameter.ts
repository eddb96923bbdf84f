import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';
import type { GroupStructure } from './group-structure.js';
import { hadamardProduct } from './hadamard-product.js';
import { squaredNormPenalty } from './squared-norm-penalty.js';
import type { Reparametrization } from './reparametrization.js';
import type { L1Term } from '../stationarity/l1-term.js';

/** How the factors start. */
export interface FactorInit {
  /** Initial scale factors (group shape) and W (V's shape); ownership passes to the parameter. */
  readonly scales: tf.Tensor[];
  readonly w: tf.Tensor;
}

export interface FactoredParameterConfig {
  readonly kind: 'hadamard' | 'grouped';
  readonly structure: GroupStructure;
  /** One penalty weight per factor (scalar or group shape), scales first; ownership passes. */
  readonly factorWeights: tf.Tensor[];
  /** The same weights as numbers where each is one number (else undefined): no read needed. */
  readonly factorScalars?: readonly (number | undefined)[];
  readonly name?: string;
  readonly trainable: boolean;
}

/**
 * The one implementation behind `hadamard` and `grouped`: V_g = (∏_k u_{k,g}) · W_g with penalty
 * Σ_k λ_k Σ_g u_{k,g}² + λ_W Σ_g ‖W_g‖². By AM–GM its minimum over factorizations of V is
 * Σ_g N κ_g ‖V_g‖^{2/N} with κ_g = (∏ λ)^{1/N}, reached when every λ_k u_k² equals λ_W ‖W_g‖².
 */
export class FactoredParameter implements Reparametrization {
  readonly kind: 'hadamard' | 'grouped';
  readonly shape: readonly number[];
  readonly depth: number;
  readonly groupShape: readonly number[];
  readonly numGroups: number;
  readonly variables: readonly tf.Variable[];
  /** Names the parameter in reports: the `name` option, else W's variable name. */
  readonly name: string;
  private readonly structure: GroupStructure;
  private readonly scales: tf.Variable[];
  private readonly w: tf.Variable;
  private readonly weights: tf.Tensor[];
  /** Each factor's λ as a number where it is one value (the usual case), for the cheap penalty. */
  private readonly scalarWeights: (number | undefined)[];
  /** κ_g = (∏_k λ_k)^{1/N}, scalar or group shape. */
  private readonly kappa: tf.Tensor;
  /** √(κ/λ_k): at the balanced point factor k has magnitude √(κ/λ_k)·‖V_g‖^{1/N}. */
  private readonly balanceScale: tf.Tensor[];

  constructor(config: FactoredParameterConfig, init: FactorInit) {
    this.kind = config.kind;
    this.structure = config.structure;
    this.shape = config.structure.shape;
    this.groupShape = config.structure.groupShape;
    this.numGroups = config.structure.numGroups;
    this.depth = config.factorWeights.length;
    this.weights = config.factorWeights;
    this.scalarWeights = this.weights.map((_, k) => config.factorScalars?.[k]);
    if (init.scales.length !== this.depth - 1) {
      throw new Error(`internal: ${init.scales.length} scale factors for depth ${this.depth}`);
    }
    const prefix = config.name;
    const scaleNames = this.depth === 2 ? ['u'] : init.scales.map((_, k) => `u${k + 1}`);
    this.scales = init.scales.map((s, k) =>
      tf.variable(
        s,
        config.trainable,
        prefix === undefined ? undefined : `${prefix}/${scaleNames[k]}`,
      ),
    );
    this.w = tf.variable(
      init.w,
      config.trainable,
      prefix === undefined ? undefined : `${prefix}/w`,
    );
    for (const t of [...init.scales, init.w]) t.dispose();
    this.variables = [...this.scales, this.w];
    this.name = prefix ?? this.w.name;
    this.kappa = tf.tidy(() =>
      tf.pow(
        this.weights.reduce((a, b) => tf.mul(a, b)),
        1 / this.depth,
      ),
    );
    this.balanceScale = this.weights.map((lambda) =>
      tf.tidy(() => tf.sqrt(tf.div(this.kappa, lambda))),
    );
  }

  value(): tf.Tensor {
    return tf.tidy(() => {
      const [first, ...rest] = this.scales as [tf.Variable, ...tf.Variable[]];
      if (rest.length === 0 && this.structure.kind === 'elements') {
        return hadamardProduct(first, this.w);
      }
      const scale = rest.reduce<tf.Tensor>((a, b) => tf.mul(a, b), first);
      return tf.mul(this.structure.expand(scale), this.w);
    });
  }

  penalty(): tf.Scalar {
    return tf.tidy(() => {
      const terms = this.scales.map((u, k) => {
        const lambda = this.weights[k] as tf.Tensor;
        const scalar = this.scalarWeights[k];
        return scalar === undefined
          ? tf.sum(tf.mul(lambda, tf.square(u)))
          : squaredNormPenalty(scalar, u);
      });
      const wLambda = this.weights[this.depth - 1] as tf.Tensor;
      const wScalar = this.scalarWeights[this.depth - 1];
      terms.push(
        wScalar === undefined
          ? tf.sum(tf.mul(wLambda, this.structure.groupSquaredNorm(this.w)))
          : squaredNormPenalty(wScalar, this.w),
      );
      return (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar;
    });
  }

  groupNorms(): tf.Tensor {
    return tf.tidy(() => {
      const v = this.value();
      return tf.sqrt(this.structure.groupSquaredNorm(v));
    });
  }

  equivalentPenalty(): tf.Scalar {
    return tf.tidy(() => {
      const norms = this.groupNorms();
      const powered = this.depth === 2 ? norms : tf.pow(norms, 2 / this.depth);
      return tf.mul(this.depth, tf.sum(tf.mul(this.kappa, powered))) as tf.Scalar;
    });
  }

  assign(
    v: tf.Tensor | ArrayLike<number>,
    options: { factorization?: 'balanced' | 'unit-scales' } = {},
  ): void {
    const target = v instanceof tf.Tensor ? v : tf.tensor(Float32Array.from(v));
    try {
      const finite = this.checkAssignable(target);
      let ok: boolean;
      try {
        ok = finite.dataSync()[0] === 1;
      } finally {
        finite.dispose();
      }
      this.setFactors(target, ok, options);
    } finally {
      if (!(v instanceof tf.Tensor)) target.dispose();
    }
  }

  async assignAsync(
    v: tf.Tensor | ArrayLike<number>,
    options: { factorization?: 'balanced' | 'unit-scales' } = {},
  ): Promise<void> {
    const target = v instanceof tf.Tensor ? v : tf.tensor(Float32Array.from(v));
    try {
      const finite = this.checkAssignable(target);
      let ok: boolean;
      try {
        ok = (await finite.data())[0] === 1;
      } finally {
        finite.dispose();
      }
      this.setFactors(target, ok, options);
    } finally {
      if (!(v instanceof tf.Tensor)) target.dispose();
    }
  }

  /**
   * @internal The factorization of a value finite by construction (the builder's own seeded
   * random start): no check, so no read, and so constructing a parameter works on backends whose
   * synchronous reads throw (WebGPU in Node).
   */
  assignFinite(target: tf.Tensor): void {
    this.setFactors(target, true, {});
  }

  /** The factorization of a checked `target` (`finite`: whether it had no NaN or Infinity). */
  private setFactors(
    target: tf.Tensor,
    finite: boolean,
    options: { factorization?: 'balanced' | 'unit-scales' },
  ): void {
    if (!finite) throw new SpredInputError('assign: value contains NaN or Infinity');
    tf.tidy(() => {
      const vv = tf.reshape(tf.cast(target, 'float32'), [...this.shape]);
      if (options.factorization === 'unit-scales') {
        for (const u of this.scales) u.assign(tf.onesLike(u));
        this.w.assign(vv);
        return;
      }
      const root = tf.pow(tf.sqrt(this.structure.groupSquaredNorm(vv)), 1 / this.depth);
      const scales = this.scales.map((_, k) => tf.mul(root, this.balanceScale[k] as tf.Tensor));
      if (this.structure.kind === 'elements' && scales.length > 0) {
        // The sign lives in the first factor: U = sign(V)·√|V|, W = √|V| (as in torch's right_inverse).
        scales[0] = tf.mul(tf.sign(vv), scales[0] as tf.Tensor);
      }
      const product = scales.reduce<tf.Tensor>(
        (a, b) => tf.mul(a, b),
        tf.onesLike(scales[0] ?? root),
      );
      const w = tf.divNoNan(vv, this.structure.expand(product));
      scales.forEach((s, k) =>
        (this.scales[k] as tf.Variable).assign(
          tf.broadcastTo(s, (this.scales[k] as tf.Variable).shape),
        ),
      );
      this.w.assign(w);
    });
  }

  rebalance(): void {
    const v = this.value();
    try {
      this.assign(v);
    } finally {
      v.dispose();
    }
  }

  async valueSpace(): Promise<L1Term> {
    if (this.depth !== 2)
      throw new SpredInputError(
        `only depth-2 parameters (L1, group L1) have an L1 term; this one has depth ${this.depth}`,
      );
    const v = this.value();
    try {
      await this.assignAsync(v, { factorization: 'unit-scales' });
    } finally {
      v.dispose();
    }
    const kappa = await this.kappa.data();
    return {
      name: this.name,
      variables: [this.w],
      groupIds: [this.structure.groupIds()],
      kappa:
        kappa.length === 1
          ? new Float64Array(this.numGroups).fill(kappa[0] as number)
          : Float64Array.from(kappa),
    };
  }

  collapse(options: { threshold: number }): tf.Tensor {
    const { threshold } = options;
    if (!(Number.isFinite(threshold) && threshold >= 0)) {
      throw new SpredInputError(`threshold must be a finite number ≥ 0, got ${String(threshold)}`);
    }
    return tf.tidy(() => {
      const v = this.value();
      const keep = tf.greater(tf.sqrt(this.structure.groupSquaredNorm(v)), threshold);
      // where() rather than a product with a 0/1 mask: exact +0, never −0.
      return tf.where(
        tf.broadcastTo(this.structure.expand(keep), [...this.shape]),
        v,
        tf.zerosLike(v),
      );
    });
  }

  balanceError(): number {
    const error = tf.tidy(() => {
      const magnitudes = this.scales.map((u, k) =>
        tf.div(tf.abs(u), this.balanceScale[k] as tf.Tensor),
      );
      const wNorm = tf.sqrt(this.structure.groupSquaredNorm(this.w));
      magnitudes.push(tf.div(wNorm, this.balanceScale[this.depth - 1] as tf.Tensor));
      const stacked = tf.stack(magnitudes.map((m) => tf.broadcastTo(m, [...this.groupShape])));
      return tf.max(tf.sub(tf.max(stacked, 0), tf.min(stacked, 0)));
    });
    const value = error.dataSync()[0] as number;
    error.dispose();
    return value;
  }

  dispose(): void {
    for (const t of [...this.variables, ...this.weights, this.kappa, ...this.balanceScale])
      t.dispose();
    this.structure.dispose();
  }

  /** Rejects a value of the wrong shape; returns the (unread) boolean scalar "every entry is finite". */
  private checkAssignable(v: tf.Tensor): tf.Tensor {
    const size = this.shape.reduce((x, y) => x * y, 1);
    const sameShape = v.shape.join(',') === this.shape.join(',');
    const flat = v.rank === 1 && v.size === size;
    if (!sameShape && !flat) {
      throw new SpredInputError(
        `assign: value has shape [${v.shape.join(', ')}] but the parameter has shape [${this.shape.join(', ')}]`,
      );
    }
    return tf.tidy(() => tf.all(tf.isFinite(v)));
  }
}
