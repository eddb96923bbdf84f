import { SpredInputError } from '@spredjs/core/errors';
import { checkAlpha } from './check-alpha.js';
import type { Penalty } from './penalty.js';

/** Checks positive per-feature weights (d of them) or returns ones. */
export function featureWeights(
  weights: ArrayLike<number> | undefined,
  d: number,
  what = 'weights',
): Float64Array {
  if (weights === undefined) return new Float64Array(d).fill(1);
  if (weights.length !== d)
    throw new SpredInputError(`${what} has ${weights.length} values but there are ${d}`);
  const out = Float64Array.from(weights);
  out.forEach((v, j) => {
    if (!(Number.isFinite(v) && v > 0))
      throw new SpredInputError(`${what}[${j}] must be positive and finite, got ${String(v)}`);
  });
  return out;
}

/** Soft threshold S(v, t) = sign(v)·max(|v| − t, 0). */
export function softThreshold(v: number, t: number): number {
  return v > t ? v - t : v < -t ? v + t : 0;
}

/** Options of {@link l1Penalty}. */
export interface L1Options {
  /**
   * Constrain every coefficient to be ≥ 0 (scikit-learn's `Lasso(positive=True)`, the
   * non-negative lasso): the prox and coordinate descent clamp at 0, the dual norm reads only
   * positive correlations, and a negative coefficient costs +∞. Default false.
   */
  readonly positive?: boolean;
}

/**
 * The (weighted) lasso penalty α Σ_j ω_j Σ_c |W_jc|, optionally with W ≥ 0 (`positive`). Its
 * spred form is V = U ⊙ W with κ_j = αω_j/2 (2κ|v| = αω|v|); the positive lasso has none (solve
 * it with coordinate descent or FISTA).
 *
 * @example
 * ```ts
 * l1Penalty(0.1).value(Float64Array.of(1, -2), 2, 1); // 0.3
 * l1Penalty(0.1, undefined, { positive: true }).prox?.(Float64Array.of(1, -2), 1, 2, 1); // [0.9, 0]
 * ```
 */
export function l1Penalty(
  alpha: number,
  weights?: ArrayLike<number>,
  options: L1Options = {},
): Penalty {
  checkAlpha(alpha);
  const positive = options.positive === true;
  // The weights of the last d asked for, checked once (a path asks for them many times per α).
  let cached: { d: number; omega: Float64Array } | undefined;
  const omega = (d: number) => {
    if (cached?.d !== d) cached = { d, omega: featureWeights(weights, d) };
    return cached.omega;
  };
  // The part of a correlation the constraint lets act: all of it, or its positive side.
  const reach = positive ? (v: number) => Math.max(v, 0) : Math.abs;
  return {
    name: 'l1',
    alpha,
    convex: true,
    ...(positive ? { positive } : {}),
    units: (d) => {
      const unitOf = new Int32Array(d);
      for (let j = 0; j < d; j++) unitOf[j] = j;
      return { unitOf, count: d };
    },
    unitLevels: (d) => omega(d).map((o) => alpha * o),
    ridge: 0,
    value(w, d, k) {
      const om = omega(d);
      let s = 0;
      for (let j = 0; j < d; j++)
        for (let c = 0; c < k; c++) {
          const v = w[j * k + c] as number;
          if (positive && v < 0) return Number.POSITIVE_INFINITY;
          s += (om[j] as number) * Math.abs(v);
        }
      return alpha * s;
    },
    prox(v, step, d, k) {
      const om = omega(d);
      return Float64Array.from(v, (x, idx) => {
        const t = step * alpha * (om[Math.floor(idx / k)] as number);
        return positive ? Math.max(x - t, 0) : softThreshold(x, t);
      });
    },
    dual(g, n, d, k) {
      const om = omega(d);
      let norm = 0;
      for (let j = 0; j < d; j++)
        for (let c = 0; c < k; c++)
          norm = Math.max(norm, reach(g[j * k + c] as number) / (om[j] as number));
      return { scale: norm === 0 ? 1 : Math.min(1, (n * alpha) / norm), conjugate: 0 };
    },
    kktRatio(grad, d, k) {
      const om = omega(d);
      const ratios = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        let m = 0;
        for (let c = 0; c < k; c++) m = Math.max(m, reach(grad[j * k + c] as number));
        ratios[j] = m / (alpha * (om[j] as number));
      }
      return ratios;
    },
    restrict(features) {
      if (weights === undefined) return l1Penalty(alpha, undefined, options);
      // The weights are per feature of the full problem (their length is its d).
      const om = omega(weights.length);
      return l1Penalty(
        alpha,
        features.map((j) => om[j] as number),
        options,
      );
    },
    factorization(d, k) {
      if (positive)
        throw new SpredInputError(
          "the positive lasso has no spred factorization: solve it with solver 'cd' or 'fista'",
        );
      const om = omega(d);
      return {
        kind: 'elementwise',
        kappa: Float64Array.from(
          { length: d * k },
          (_, e) => (alpha * (om[Math.floor(e / k)] as number)) / 2,
        ),
      };
    },
  };
}
