import * as tf from '@tensorflow/tfjs-core';

/**
 * The kernel a backend may register for {@link adamUpdate} (`@spredjs/runtime` does, for wasm and
 * cpu): inputs `x`, `gradient`, `m`, `v`; the attributes of {@link AdamStepAttrs}; outputs
 * `[x', m', v']`.
 */
export const ADAM_UPDATE_KERNEL = 'SpredAdamUpdate';

/** The hyper-parameters of one Adam step (see {@link adamUpdate}). */
export interface AdamStepAttrs {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1/(1 − β1^t) and 1/(1 − β2^t) at step t (t from 1). */
  readonly firstCorrection: number;
  readonly secondCorrection: number;
  /** Coupled decay λ: λ·x joins the gradient, exactly an L2 term (λ/2)‖x‖² in the loss. */
  readonly coupledDecay: number;
  /** x is scaled by it before the step: AdamW's decoupled 1 − lr·λ; 1 for none. */
  readonly shrink: number;
}

/** The new value and moments of one variable after an Adam step; the caller owns them. */
export interface AdamStepResult {
  readonly x: tf.Tensor;
  readonly m: tf.Tensor;
  readonly v: tf.Tensor;
}

/**
 * One Adam step of one variable: g = ∇ + λx, m' = β1m + (1−β1)g, v' = β2v + (1−β2)g²,
 * x' = shrink·x − lr·(m'·c1)/(√(v'·c2) + ε) — tfjs's Adam update, with coupled and decoupled decay
 * folded in. Runs as one fused kernel where the backend registers {@link ADAM_UPDATE_KERNEL}
 * (one pass instead of thirteen), else as tfjs ops with the same arithmetic.
 */
export function adamUpdate(
  x: tf.Tensor,
  gradient: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  attrs: AdamStepAttrs,
): AdamStepResult {
  if (tf.getKernel(ADAM_UPDATE_KERNEL, tf.getBackend()) !== undefined) {
    const [xNew, mNew, vNew] = tf
      .engine()
      .runKernel(
        ADAM_UPDATE_KERNEL,
        { x, gradient, m, v },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
    return { x: xNew as tf.Tensor, m: mNew as tf.Tensor, v: vNew as tf.Tensor };
  }
  return tf.tidy(() => {
    const g = attrs.coupledDecay === 0 ? gradient : tf.add(gradient, tf.mul(x, attrs.coupledDecay));
    const mNew = tf.add(tf.mul(m, attrs.beta1), tf.mul(g, 1 - attrs.beta1));
    const vNew = tf.add(tf.mul(v, attrs.beta2), tf.mul(tf.square(g), 1 - attrs.beta2));
    const step = tf.div(
      tf.mul(mNew, attrs.firstCorrection),
      tf.add(tf.sqrt(tf.mul(vNew, attrs.secondCorrection)), attrs.epsilon),
    );
    const start = attrs.shrink === 1 ? x : tf.mul(x, attrs.shrink);
    const xNew = tf.sub(start, tf.mul(step, attrs.learningRate));
    return { x: xNew, m: mNew, v: vNew };
  });
}

/** tfjs's `NamedTensor` (which tfjs-core does not export). */
type NamedTensor = Parameters<tf.Optimizer['setWeights']>[0][number];

/** Decay folded into {@link AdamOptimizer}'s step. */
export interface AdamDecay {
  /** λ added as λ·x to the gradient (an L2 term; spred's penalty when λ = 2κ on its factors). */
  readonly coupled?: number;
  /** AdamW's decoupled λ: x ← (1 − lr·λ)x beside the step. */
  readonly decoupled?: number;
}

/**
 * Adam as a tfjs `Optimizer` (drop-in for `tf.train.adam`: the same update, the same saved
 * weights `iter`, `<name>/m`…, `<name>/v`…) whose step per variable is one {@link adamUpdate},
 * with coupled or decoupled decay folded into that same pass.
 */
export class AdamOptimizer extends tf.Optimizer {
  /** Read on every step: schedules set it. */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly decay: Required<AdamDecay>;
  private firstMoments: { name: string; variable: tf.Variable }[] = [];
  private secondMoments: { name: string; variable: tf.Variable }[] = [];
  private steps = 0;

  static get className(): string {
    return 'Adam';
  }

  constructor(
    learningRate: number,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-8,
    decay: AdamDecay = {},
  ) {
    super();
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.decay = { coupled: decay.coupled ?? 0, decoupled: decay.decoupled ?? 0 };
  }

  override get iterations(): number {
    return this.steps;
  }

  applyGradients(gradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(gradients)
      ? gradients.map((g) => [g.name, g.tensor])
      : Object.entries(gradients);
    const t = this.steps + 1;
    const base = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      firstCorrection: 1 / (1 - this.beta1 ** t),
      secondCorrection: 1 / (1 - this.beta2 ** t),
      coupledDecay: this.decay.coupled,
      shrink: 1 - this.learningRate * this.decay.decoupled,
    };
    entries.forEach(([name, gradient], i) => {
      const value = tf.engine().registeredVariables[name];
      if (value === undefined) throw new Error(`internal: no variable '${name}'`);
      this.firstMoments[i] ??= { name: `${name}/m`, variable: zeroVariable(value) };
      this.secondMoments[i] ??= { name: `${name}/v`, variable: zeroVariable(value) };
      if (gradient === undefined || gradient === null) return;
      const m = this.firstMoments[i]!.variable;
      const v = this.secondMoments[i]!.variable;
      const next = adamUpdate(value, gradient, m, v, base);
      value.assign(next.x);
      m.assign(next.m);
      v.assign(next.v);
      tf.dispose([next.x, next.m, next.v]);
    });
    this.steps = t;
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [
      { name: 'iter', tensor: tf.scalar(this.steps, 'int32') },
      ...[...this.firstMoments, ...this.secondMoments].map((w) => ({
        name: w.name,
        tensor: w.variable,
      })),
    ];
  }

  override async setWeights(weights: NamedTensor[]): Promise<void> {
    const [iterations, ...moments] = weights;
    if (iterations === undefined) throw new Error('Adam weights need an iteration count first');
    this.steps = ((await iterations.tensor.data())[0] as number) ?? 0;
    const half = moments.length / 2;
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((w) => w.variable));
    const own = (w: NamedTensor) => ({ name: w.name, variable: w.tensor.variable(false) });
    this.firstMoments = moments.slice(0, half).map(own);
    this.secondMoments = moments.slice(half).map(own);
  }

  override dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((w) => w.variable));
    this.firstMoments = [];
    this.secondMoments = [];
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
  }
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.zerosLike(like).variable(false));
}
