import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';
import {
  checkSpec,
  foldsDecay,
  makeTfOptimizer,
  setTfLearningRate,
  type OptimizerSpec,
} from './optimizer-spec.js';

/** Variables that share hyper-parameters (e.g. spred factors vs dense weights vs biases). */
export interface ParamGroup {
  readonly variables: readonly tf.Variable[];
  /** Overrides the spec's learning rate for this group. */
  readonly learningRate?: number;
  /** Overrides the spec's weight decay for this group. */
  readonly weightDecay?: number;
  /**
   * A coupled L2 coefficient λ for this group, whatever the kind: λ·θ joins the gradient, exactly
   * the gradient of (λ/2)‖θ‖² in the loss. spred's penalty κ(‖U‖² + ‖W‖²) is λ = 2κ on U and W:
   * folded here instead of added to the loss, it costs nothing (Adam applies it in its one pass
   * per variable) and the loss reported is the data term alone. Default 0.
   */
  readonly l2?: number;
  /** For messages and checkpoints. */
  readonly name?: string;
}

/** One named tensor of an optimizer's state (tfjs's `NamedTensor`, which tfjs-core does not export). */
export interface NamedStateTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** The serializable state of a {@link GroupedOptimizer}: each group's tfjs optimizer weights. */
export interface OptimizerState {
  readonly learningRateScale: number;
  readonly groups: readonly (readonly NamedStateTensor[])[];
}

/** Result of one {@link GroupedOptimizer.step}. */
export interface StepResult {
  /** The loss before the update. */
  readonly loss: number;
  /** False when the loss was NaN or ±Inf; no update was applied then. */
  readonly finite: boolean;
}

/**
 * tfjs's SGD, momentum, Adam and RMSProp with parameter groups — a learning rate and weight decay
 * per group, as the paper advises (spred factors need no decay; other layers a small one) — and
 * AdamW's decoupled decay. One gradient evaluation per step for all groups.
 *
 * @example
 * ```ts
 * const opt = new GroupedOptimizer({ kind: 'adam', learningRate: 1e-3 }, [
 *   { variables: kernel.variables },                        // spred factors: the penalty is in the loss
 *   { variables: [bias, head], weightDecay: 1e-4 },          // other layers: a small (coupled) decay
 * ]);
 * const { loss } = opt.step(() => tf.add(datafit(), kernel.penalty()));
 * ```
 */
export class GroupedOptimizer {
  readonly spec: OptimizerSpec;
  readonly groups: readonly ParamGroup[];
  private readonly optimizers: tf.Optimizer[];
  private scale = 1;

  constructor(spec: OptimizerSpec, groups: readonly ParamGroup[]) {
    checkSpec(spec);
    if (groups.length === 0)
      throw new SpredInputError('an optimizer needs at least one parameter group');
    const seen = new Set<string>();
    groups.forEach((g, i) => {
      checkSpec({
        ...spec,
        learningRate: g.learningRate ?? spec.learningRate,
        weightDecay: g.weightDecay ?? spec.weightDecay ?? 0,
      });
      const l2 = g.l2 ?? 0;
      if (!(Number.isFinite(l2) && l2 >= 0))
        throw new SpredInputError(
          `parameter group ${g.name ?? i}: l2 must be ≥ 0 and finite, got ${String(l2)}`,
        );
      if (g.variables.length === 0)
        throw new SpredInputError(`parameter group ${g.name ?? i} has no variables`);
      for (const v of g.variables) {
        if (seen.has(v.name))
          throw new SpredInputError(`variable '${v.name}' is in two parameter groups`);
        seen.add(v.name);
      }
    });
    this.spec = spec;
    this.groups = groups;
    this.optimizers = groups.map((g) =>
      makeTfOptimizer(
        spec,
        g.learningRate ?? spec.learningRate,
        g.weightDecay ?? spec.weightDecay ?? 0,
        g.l2 ?? 0,
      ),
    );
  }

  /** Every variable of every group, in group order. */
  get variables(): tf.Variable[] {
    return this.groups.flatMap((g) => [...g.variables]);
  }

  /** The learning rate group `index` uses now (base rate × schedule scale). */
  learningRate(index = 0): number {
    const group = this.groups[index];
    if (group === undefined) throw new SpredInputError(`no parameter group ${index}`);
    return (group.learningRate ?? this.spec.learningRate) * this.scale;
  }

  /** Multiplies every group's base learning rate by `scale` (what schedules set). */
  setLearningRateScale(scale: number): void {
    if (!(Number.isFinite(scale) && scale >= 0))
      throw new SpredInputError(`learning-rate scale must be ≥ 0, got ${scale}`);
    this.scale = scale;
    this.optimizers.forEach((o, i) => setTfLearningRate(o, this.learningRate(i)));
  }

  /**
   * Evaluates `loss` and its gradients once and updates every group. When the loss is not finite
   * nothing is updated and `finite` is false. Reads the loss synchronously: where a backend only
   * reads asynchronously (WebGPU in Node), use {@link stepAsync}.
   */
  step(loss: () => tf.Scalar): StepResult {
    const { value, grads } = tf.variableGrads(loss, this.variables);
    const lossValue = value.dataSync()[0] as number;
    value.dispose();
    return this.update(lossValue, grads);
  }

  /** {@link step} with the loss read asynchronously: the same update, on every backend. */
  async stepAsync(loss: () => tf.Scalar): Promise<StepResult> {
    const { value, grads } = tf.variableGrads(loss, this.variables);
    let lossValue: number;
    try {
      lossValue = (await value.data())[0] as number;
    } catch (e) {
      tf.dispose(grads);
      throw e;
    } finally {
      value.dispose();
    }
    return this.update(lossValue, grads);
  }

  /** Applies `grads` to every group when the loss is finite (disposing them either way). */
  private update(lossValue: number, grads: tf.NamedTensorMap): StepResult {
    if (!Number.isFinite(lossValue)) {
      tf.dispose(grads);
      return { loss: lossValue, finite: false };
    }
    // Adam and AdamW apply the decay and the L2 term in their own pass per variable (decoupled
    // decay only exists there); the other kinds get both as coupled terms of the gradient.
    const folded = foldsDecay(this.spec);
    tf.tidy(() => {
      this.groups.forEach((group, i) => {
        const coupled = folded
          ? 0
          : (group.weightDecay ?? this.spec.weightDecay ?? 0) + (group.l2 ?? 0);
        const groupGrads: tf.NamedTensorMap = {};
        for (const v of group.variables) {
          const g = grads[v.name];
          if (g === undefined) continue;
          groupGrads[v.name] = coupled > 0 ? tf.add(g, tf.mul(coupled, v)) : g;
        }
        (this.optimizers[i] as tf.Optimizer).applyGradients(groupGrads);
      });
    });
    tf.dispose(grads);
    return { loss: lossValue, finite: true };
  }

  /** Copies of every group's optimizer state (moments, iteration counts); the caller disposes them. */
  async getState(): Promise<OptimizerState> {
    const groups = await Promise.all(
      this.optimizers.map(async (o) =>
        (await o.getWeights()).map((w) => {
          const copy = { name: w.name, tensor: tf.clone(w.tensor) };
          // Moments are the optimizer's own variables; the iteration count is a fresh tensor.
          if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
          return copy;
        }),
      ),
    );
    return { learningRateScale: this.scale, groups };
  }

  /** Restores a state from {@link getState} (matched by position, so variable names may differ). */
  async setState(state: OptimizerState): Promise<void> {
    if (state.groups.length !== this.optimizers.length) {
      throw new SpredInputError(
        `optimizer state has ${state.groups.length} groups but the optimizer has ${this.optimizers.length}`,
      );
    }
    await Promise.all(
      this.optimizers.map((o, i) =>
        o.setWeights(state.groups[i]!.map((w) => ({ name: w.name, tensor: w.tensor }))),
      ),
    );
    this.setLearningRateScale(state.learningRateScale);
  }

  dispose(): void {
    for (const o of this.optimizers) {
      o.dispose();
      // tfjs' MomentumOptimizer.dispose does not call SGDOptimizer's, which owns the rate scalar `c`.
      if (o instanceof tf.MomentumOptimizer) (o as unknown as { c?: tf.Tensor }).c?.dispose();
    }
  }
}
