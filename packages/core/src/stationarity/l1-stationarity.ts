import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';
import type { Reparametrization } from '../reparam/reparametrization.js';
import { certificateAt, type StationarityCertificate } from './certificate.js';
import { evaluateDataLoss, readVariables, writeVariables, type DataLoss } from './data-loss.js';
import { groupNorms, l1Value } from './l1-groups.js';
import { l1Layout, type L1Layout } from './l1-layout.js';
import type { L1Term } from './l1-term.js';

/** The tolerance of certificates when none is given: violations up to 0.01% of 2κ. */
export const DEFAULT_STATIONARITY_TOL = 1e-4;

/** Options of {@link l1Stationarity}. */
export interface StationarityOptions {
  /**
   * The objective's other variables, without an L1 term (intercepts, biases, unpenalized
   * weights): their gradient must vanish too. Default none.
   */
  readonly variables?: readonly tf.Variable[];
  /** Violations up to this (relative to 2κ) count as met. Default 1e-4. */
  readonly tol?: number;
}

/** Checks a relative tolerance. */
export function checkTol(tol: number | undefined): number {
  const value = tol ?? DEFAULT_STATIONARITY_TOL;
  if (!(Number.isFinite(value) && value >= 0))
    throw new SpredInputError(`tol must be a finite number ≥ 0, got ${String(tol)}`);
  return value;
}

/**
 * The certificate of {@link l1Stationarity} for L1 terms whose variables hold V itself.
 *
 * @example
 * ```ts
 * const certificate = await l1StationarityOfTerms([l1Term(v, { kappa: 0.05 })], loss);
 * ```
 */
export async function l1StationarityOfTerms(
  terms: readonly L1Term[],
  loss: DataLoss,
  options: StationarityOptions = {},
): Promise<StationarityCertificate> {
  const { tol, layout, x, evaluation } = await startingPoint(terms, loss, options);
  return certificateAt(layout, x, evaluation.value, evaluation.gradient, tol);
}

/**
 * Where every certificate, certified collapse and polish starts: the checked tolerance, the flat
 * layout of the terms and free variables, the point they hold, and L and ∇L there (refused when
 * not finite).
 */
export async function startingPoint(
  terms: readonly L1Term[],
  loss: DataLoss,
  options: StationarityOptions,
) {
  const tol = checkTol(options.tol);
  const layout = l1Layout(terms, options.variables);
  const x = await readVariables(layout.variables);
  const evaluation = await evaluateFinite(loss, layout);
  return { tol, layout, x, evaluation };
}

/**
 * Certifies the current point of an L1 problem in any model: for L (the smooth part: the data fit
 * and any smooth regularizer, without the spred penalties) plus 2κ‖V‖₁ (group L1 for `grouped`)
 * on every parameter, it checks the first-order condition of every entry or group on all the
 * data (a list of batch losses is accumulated in float64) and reports the largest violation
 * relative to 2κ, the certified share and the figures per parameter. The factors are left
 * exactly as they were. Depth-2 parametrizations only (the L1 and group-L1 penalties).
 *
 * @example
 * ```ts
 * const coef = hadamard([d, 1], { kappa: alpha / 2 });
 * // … train on datafit() + coef.penalty() with any optimizer …
 * const certificate = await l1Stationarity([coef], datafit, { variables: [intercept] });
 * certificate.maxViolation; // 0.8 after Adam's last mini-batch, 1e-6 after polish()
 * ```
 */
export async function l1Stationarity(
  params: readonly Reparametrization[],
  loss: DataLoss,
  options: StationarityOptions = {},
): Promise<StationarityCertificate> {
  checkTol(options.tol);
  return inValueSpace(params, (terms) => l1StationarityOfTerms(terms, loss, options));
}

/**
 * Runs `work` with every parametrization moved to value space (every scale 1, W = V). With
 * `keep`, a successful run ends with each parametrization rebalanced at the V that `work` left
 * (|U| = |W|, zeros as U = W = 0); otherwise, and whenever `work` throws, every factor and every
 * one of `variables` is put back exactly as it was.
 */
export async function inValueSpace<T>(
  params: readonly Reparametrization[],
  work: (terms: L1Term[]) => Promise<T>,
  options: { readonly keep?: boolean; readonly variables?: readonly tf.Variable[] } = {},
): Promise<T> {
  const saved = [...params.flatMap((p) => p.variables), ...(options.variables ?? [])].map((v) => ({
    v,
    value: tf.clone(v),
  }));
  const restore = () => {
    for (const { v, value } of saved) v.assign(value);
  };
  try {
    const terms: L1Term[] = [];
    for (const p of params) terms.push(await p.valueSpace());
    const result = await work(terms);
    if (options.keep !== true) restore();
    else
      for (const p of params) {
        const v = p.value();
        try {
          await p.assignAsync(v);
        } finally {
          v.dispose();
        }
      }
    return result;
  } catch (error) {
    restore();
    throw error;
  } finally {
    for (const { value } of saved) value.dispose();
  }
}

/** L and ∇L at the current point, refused when either is not finite. */
export async function evaluateFinite(loss: DataLoss, layout: L1Layout) {
  const evaluation = await evaluateDataLoss(loss, layout.variables);
  if (!Number.isFinite(evaluation.value))
    throw new SpredInputError(
      `the loss is ${evaluation.value} at the current point (non-finite data or weights?)`,
    );
  if (!evaluation.gradient.every(Number.isFinite))
    throw new SpredInputError('the gradient of the loss has NaN or Infinity at the current point');
  return evaluation;
}

/**
 * Sets to exactly zero the groups whose zero is certified, and only those, without raising the
 * objective L + Σ 2κ_g‖V_g‖. The candidates are the groups with ‖∂L/∂V_g‖ ≤ 2κ_g(1 + tol),
 * taken from the smallest ‖V_g‖ up: the longest run of them that can be zeroed together without
 * raising the objective (beyond float32 rounding) is zeroed, then the test is repeated at that
 * point and every group that now fails gets its value back, until the set holds. So every zeroed
 * group passes its test where all of them are zero, and zeroing never trades a good stationary
 * point for a worse one (two inputs of one interaction both pass at zero, but zeroing them raises
 * the loss). Nothing else moves. Returns the certificate at the final point.
 *
 * @example
 * ```ts
 * const certificate = await collapseCertified([l1Term(v, { kappa: 0.05 })], loss);
 * ```
 */
export async function collapseCertified(
  terms: readonly L1Term[],
  loss: DataLoss,
  options: StationarityOptions = {},
): Promise<StationarityCertificate> {
  const { tol, layout, x: x0, evaluation: start } = await startingPoint(terms, loss, options);
  const objective0 = start.value + l1Value(layout, x0);
  const noise = 1e-6 * Math.abs(objective0);
  // the zero test of group g, from the gradient's group norms
  const passes = (g: number, norms: Float64Array) =>
    (norms[g] as number) <= (layout.lambda[g] as number) * (1 + tol);
  const gradientNorms0 = groupNorms(layout, start.gradient);
  const valueNorms0 = groupNorms(layout, x0);
  const candidates = Array.from(valueNorms0.keys())
    .filter((g) => (layout.groupSize[g] as number) > 0 && passes(g, gradientNorms0))
    .sort((a, b) => (valueNorms0[a] as number) - (valueNorms0[b] as number));
  const zeroing = async (zeroed: Uint8Array) => {
    const x = Float64Array.from(x0);
    for (let i = 0; i < layout.groupOf.length; i++)
      if (zeroed[layout.groupOf[i] as number] === 1) x[i] = 0;
    writeVariables(layout.variables, x);
    const evaluation = await evaluateFinite(loss, layout);
    return { x, evaluation, objective: evaluation.value + l1Value(layout, x) };
  };
  const prefix = (k: number) => {
    const zeroed = new Uint8Array(layout.lambda.length);
    for (const g of candidates.slice(0, k)) zeroed[g] = 1;
    return zeroed;
  };
  try {
    // the longest run of candidates whose joint zeroing keeps the objective where it was
    let best = candidates.length;
    if ((await zeroing(prefix(best))).objective > objective0 + noise) {
      let [low, high] = [0, candidates.length]; // zeroing `low` is fine, `high` is not
      while (high - low > 1) {
        const mid = (low + high) >> 1;
        if ((await zeroing(prefix(mid))).objective <= objective0 + noise) low = mid;
        else high = mid;
      }
      best = low;
    }
    const zeroed = prefix(best);
    // The zeroed set only shrinks, so this ends after at most one round per group.
    for (;;) {
      const { x, evaluation } = await zeroing(zeroed);
      const norms = groupNorms(layout, evaluation.gradient);
      let changed = false;
      for (let g = 0; g < zeroed.length; g++)
        if (zeroed[g] === 1 && !passes(g, norms)) {
          zeroed[g] = 0;
          changed = true;
        }
      if (!changed) return certificateAt(layout, x, evaluation.value, evaluation.gradient, tol);
    }
  } catch (error) {
    writeVariables(layout.variables, x0);
    throw error;
  }
}
