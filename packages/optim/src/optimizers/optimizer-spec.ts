import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';
import { AdamOptimizer } from './adam.js';

/**
 * Which update rule. Weight decay means different things for them, and it matters for spred:
 * - `sgd`, `momentum`, `adam`, `rmsprop`: *coupled* decay, wd·θ added to the gradient, exactly an
 *   L2 term (wd/2)‖θ‖² in the loss. On spred factors that *is* the spred penalty (κ = wd/2), so the
 *   L1 equivalence holds whatever the optimizer.
 * - `adamw`: *decoupled* decay (Loshchilov & Hutter), θ ← θ − lr·wd·θ beside Adam's step. Its fixed
 *   points are not minima of any L2-penalized loss, so on spred factors it does **not** solve the L1
 *   problem; use it for the dense layers only.
 */
export type OptimizerKind = 'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop';

/** An update rule and its hyper-parameters (the defaults of PyTorch / tfjs). */
export interface OptimizerSpec {
  readonly kind: OptimizerKind;
  readonly learningRate: number;
  /** Default 0. Coupled for every kind but `adamw` (see {@link OptimizerKind}). */
  readonly weightDecay?: number;
  /** `momentum`: default 0.9. */
  readonly momentum?: number;
  /** `momentum`: Nesterov's variant. Default false. */
  readonly nesterov?: boolean;
  /** `adam`, `adamw`: defaults 0.9, 0.999, 1e-8. */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** `rmsprop`: default 0.9. */
  readonly decay?: number;
}

export function checkSpec(spec: OptimizerSpec): void {
  const kinds: OptimizerKind[] = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'];
  if (!kinds.includes(spec.kind))
    throw new SpredInputError(
      `unknown optimizer '${String(spec.kind)}': expected one of ${kinds.join(', ')}`,
    );
  if (!(Number.isFinite(spec.learningRate) && spec.learningRate > 0)) {
    throw new SpredInputError(
      `learningRate must be positive and finite, got ${String(spec.learningRate)}`,
    );
  }
  const wd = spec.weightDecay ?? 0;
  if (!(Number.isFinite(wd) && wd >= 0))
    throw new SpredInputError(`weightDecay must be ≥ 0 and finite, got ${String(wd)}`);
}

/** True when {@link makeTfOptimizer}'s optimizer applies the group's weight decay itself. */
export function foldsDecay(spec: OptimizerSpec): boolean {
  return spec.kind === 'adam' || spec.kind === 'adamw';
}

/**
 * The tfjs optimizer that performs `spec`'s adaptive step. Adam and AdamW are spred's
 * {@link AdamOptimizer} (one fused pass per variable) with `weightDecay` folded in (coupled for
 * `adam`, decoupled for `adamw`) and the group's coupled `l2`; for the other kinds the caller
 * applies both.
 */
export function makeTfOptimizer(
  spec: OptimizerSpec,
  learningRate: number,
  weightDecay = 0,
  l2 = 0,
): tf.Optimizer {
  switch (spec.kind) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, spec.momentum ?? 0.9, spec.nesterov ?? false);
    case 'adam':
    case 'adamw':
      return new AdamOptimizer(
        learningRate,
        spec.beta1 ?? 0.9,
        spec.beta2 ?? 0.999,
        spec.epsilon ?? 1e-8,
        spec.kind === 'adam'
          ? { coupled: weightDecay + l2 }
          : { coupled: l2, decoupled: weightDecay },
      );
    case 'rmsprop':
      return tf.train.rmsprop(
        learningRate,
        spec.decay ?? 0.9,
        spec.momentum ?? 0,
        spec.epsilon ?? 1e-7,
      );
  }
}

/**
 * Changes a tfjs optimizer's learning rate in place. SGD and momentum have a setter; Adam and
 * RMSProp read a `learningRate` field on every step, which tfjs declares protected.
 */
export function setTfLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const withSetter = optimizer as unknown as { setLearningRate?: (lr: number) => void };
  if (typeof withSetter.setLearningRate === 'function') {
    withSetter.setLearningRate(learningRate);
    return;
  }
  const withField = optimizer as unknown as { learningRate?: number };
  if (typeof withField.learningRate !== 'number') {
    throw new Error(`cannot set the learning rate of ${optimizer.getClassName()}`);
  }
  withField.learningRate = learningRate;
}
