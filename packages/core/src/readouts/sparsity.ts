import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';
import type { Reparametrization } from '../reparam/reparametrization.js';

/** Something whose sparsity can be read: a plain tensor (per element) or a parametrization (per group). */
export type SparsityTarget = tf.Tensor | Reparametrization;

function checkThreshold(threshold: number): void {
  if (!(Number.isFinite(threshold) && threshold >= 0)) {
    throw new SpredInputError(`threshold must be a finite number ≥ 0, got ${String(threshold)}`);
  }
}

function magnitudes(target: SparsityTarget): tf.Tensor {
  return target instanceof tf.Tensor ? tf.abs(target) : target.groupNorms();
}

/**
 * Share (0…1) of entries whose magnitude is at most `threshold`: elements of a tensor, or groups
 * of a parametrization (‖V_g‖ ≤ threshold; elements for `hadamard`).
 *
 * @example
 * ```ts
 * const zeros = sparsity(coef, 1e-6);  // 0.93: 93% of the coefficients are (numerically) zero
 * ```
 */
export function sparsity(target: SparsityTarget, threshold: number): number {
  return sparsityAt(target, [threshold])[0] as number;
}

/** {@link sparsity} at several thresholds from one read of the magnitudes. */
export function sparsityAt(target: SparsityTarget, thresholds: readonly number[]): number[] {
  thresholds.forEach(checkThreshold);
  const m = magnitudes(target);
  const values = m.dataSync();
  m.dispose();
  if (values.length === 0) return thresholds.map(() => 0);
  return thresholds.map((t) => {
    let count = 0;
    for (let i = 0; i < values.length; i++) if ((values[i] as number) <= t) count++;
    return count / values.length;
  });
}

/** The two-threshold convergence signal of {@link thresholdAgreement}. */
export interface ThresholdAgreement {
  readonly low: number;
  readonly high: number;
  /** Share of entries ≤ the low threshold. */
  readonly sparsityLow: number;
  /** Share of entries ≤ the high threshold. */
  readonly sparsityHigh: number;
  /** sparsityHigh − sparsityLow: the share still on its way to zero (or just above the high threshold). */
  readonly gap: number;
  /** gap ≤ tolerance, once some entry is at most the low threshold (never at a dense start). */
  readonly agreed: boolean;
}

/**
 * The paper's stopping signal for sparsity: entries that the L1 penalty sends to zero decay
 * geometrically under spred, so while training is still moving them, the shares of zeros at two
 * thresholds differ; once they agree, the support has settled. Defaults: thresholds 1e-6 and
 * 1e-3, tolerance 0 (every entry is either clearly zero or clearly not). Nothing agrees before
 * some entry has reached the low threshold: at a dense start both shares are 0, which says
 * nothing about the support. It is a stopping signal, not a proof: `l1Stationarity` certifies a
 * point, sparse or dense, and `polish` (in `@spredjs/optim`) finishes it exactly.
 *
 * @example
 * ```ts
 * if (thresholdAgreement(coef, { tolerance: 1e-3 }).agreed) stop();
 * ```
 */
export function thresholdAgreement(
  target: SparsityTarget,
  options: { low?: number; high?: number; tolerance?: number } = {},
): ThresholdAgreement {
  const low = options.low ?? 1e-6;
  const high = options.high ?? 1e-3;
  const tolerance = options.tolerance ?? 0;
  if (!(low < high))
    throw new SpredInputError(`low threshold (${low}) must be below the high one (${high})`);
  const [sparsityLow, sparsityHigh] = sparsityAt(target, [low, high]) as [number, number];
  const gap = sparsityHigh - sparsityLow;
  return { low, high, sparsityLow, sparsityHigh, gap, agreed: sparsityLow > 0 && gap <= tolerance };
}
