import type { DesignMatrix } from '@spred/solvers';

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
  const n = x.rows;
  const r = Float64Array.from(y, (v) => v - intercept);
  let l1 = 0;
  for (let j = 0; j < x.cols; j++) {
    const w = coef[j] as number;
    if (w === 0) continue;
    l1 += Math.abs(w);
    for (let i = 0; i < n; i++) r[i] = (r[i] as number) - w * (x.data[j * n + i] as number);
  }
  return r.reduce((s, v) => s + v * v, 0) / (2 * n) + alpha * l1;
}
