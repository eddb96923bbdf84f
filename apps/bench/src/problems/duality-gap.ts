import type { DesignMatrix } from '@spredjs/solvers';
import type { Datafit64 } from './datafit.js';

/** Primal, dual and their gap at one answer; `gap` ≥ 0 up to rounding, 0 only at the optimum. */
export interface DualityCertificate {
  readonly primal: number;
  readonly dual: number;
  readonly gap: number;
}

/**
 * Xw for column-major X, skipping zero coefficients (answers are sparse).
 *
 * @example
 * ```ts
 * predictions({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) }, [1, 0]); // [1, 2]
 * ```
 */
export function predictions(x: DesignMatrix, coef: ArrayLike<number>): Float64Array {
  const n = x.rows;
  const z = new Float64Array(n);
  for (let j = 0; j < x.cols; j++) {
    const w = coef[j] as number;
    if (w === 0) continue;
    const column = x.data.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) z[i] = (z[i] as number) + w * (column[i] as number);
  }
  return z;
}

/**
 * Xᵀv: one correlation per feature.
 *
 * @example
 * ```ts
 * correlations({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) }, Float64Array.of(1, 1)); // [3, 7]
 * ```
 */
export function correlations(x: DesignMatrix, v: Float64Array): Float64Array {
  const n = x.rows;
  const c = new Float64Array(x.cols);
  for (let j = 0; j < x.cols; j++) {
    const column = x.data.subarray(j * n, (j + 1) * n);
    let s = 0;
    for (let i = 0; i < n; i++) s += (column[i] as number) * (v[i] as number);
    c[j] = s;
  }
  return c;
}

/**
 * The duality gap of L(Xw) + α‖w‖₁ at `coef`, in float64, for any {@link Datafit64}. The dual
 * point is the negative gradient −∇L(Xw) scaled into the feasible set ‖Xᵀu‖∞ ≤ α, the choice that
 * makes the gap vanish exactly at the optimum. The gap bounds P(w) − P(w*) from above, so it
 * certifies an answer without knowing the solution.
 *
 * @example
 * ```ts
 * const { gap, primal } = dualityGap(x, squaredDatafit(y), model.coef, alpha);
 * ```
 */
export function dualityGap(
  x: DesignMatrix,
  datafit: Datafit64,
  coef: ArrayLike<number>,
  alpha: number,
): DualityCertificate {
  const z = predictions(x, coef);
  const g = datafit.gradient(z);
  let largest = 0;
  for (const c of correlations(x, g)) largest = Math.max(largest, Math.abs(c));
  const s = largest > alpha ? alpha / largest : 1;
  let l1 = 0;
  for (let j = 0; j < x.cols; j++) l1 += Math.abs(coef[j] as number);
  const primal = datafit.value(z) + alpha * l1;
  const dual = datafit.dual(Float64Array.from(g, (v) => -s * v));
  return { primal, dual, gap: primal - dual };
}
