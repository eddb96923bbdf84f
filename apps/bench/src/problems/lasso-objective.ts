import type { DesignMatrix } from '@spredjs/solvers';
import { squaredDatafit } from './datafit.js';
import { dualityGap, type DualityCertificate } from './duality-gap.js';

/**
 * (1/2n)‖y − Xw − b‖² + α‖w‖₁ in float64: the one yardstick every solver's answer is measured by
 * in the benchmarks, whatever precision it was computed in.
 */
export function lassoObjective(
  x: DesignMatrix,
  y: Float64Array,
  coef: ArrayLike<number>,
  intercept: number,
  alpha: number,
): number {
  const r = residual(x, y, coef, intercept);
  return sumOfSquares(r) / (2 * x.rows) + alpha * l1Norm(coef);
}

/**
 * The lasso duality gap of `coef` for (1/2n)‖y − Xw‖² + α‖w‖₁ (no intercept: centre X and y first
 * for a problem with one), in float64. The dual point is the scaled residual θ = s·r with
 * s = min(1, nα/‖Xᵀr‖∞), and D(θ) = (1/2n)‖y‖² − (1/2n)‖y − θ‖².
 *
 * @example
 * ```ts
 * const { gap } = lassoDualityGap(x, y, model.coef, alpha);
 * gap <= 1e-6 * lassoObjective(x, y, new Float64Array(x.cols), 0, alpha); // converged to 1e-6
 * ```
 */
export function lassoDualityGap(
  x: DesignMatrix,
  y: Float64Array,
  coef: ArrayLike<number>,
  alpha: number,
): DualityCertificate {
  return dualityGap(x, squaredDatafit(y), coef, alpha);
}

/**
 * X and y with column means (and the mean of y) removed: the lasso with an unpenalized intercept
 * is the lasso without one on these, with b = ȳ − x̄ᵀw.
 *
 * @example
 * ```ts
 * const c = centered(x, y);
 * lassoDualityGap(c.x, c.y, coefFittedWithIntercept, alpha);
 * ```
 */
export function centered(x: DesignMatrix, y: Float64Array): { x: DesignMatrix; y: Float64Array } {
  const n = x.rows;
  const data = Float64Array.from(x.data);
  for (let j = 0; j < x.cols; j++) {
    const column = data.subarray(j * n, (j + 1) * n);
    const mean = column.reduce((s, v) => s + v, 0) / n;
    for (let i = 0; i < n; i++) column[i] = (column[i] as number) - mean;
  }
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  return { x: { rows: n, cols: x.cols, data }, y: Float64Array.from(y, (v) => v - yMean) };
}

/** y − Xw − b. */
function residual(
  x: DesignMatrix,
  y: Float64Array,
  coef: ArrayLike<number>,
  intercept: number,
): Float64Array {
  const n = x.rows;
  const r = Float64Array.from(y, (v) => v - intercept);
  for (let j = 0; j < x.cols; j++) {
    const w = coef[j] as number;
    if (w === 0) continue;
    for (let i = 0; i < n; i++) r[i] = (r[i] as number) - w * (x.data[j * n + i] as number);
  }
  return r;
}

function sumOfSquares(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return s;
}

function l1Norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i] as number);
  return s;
}
