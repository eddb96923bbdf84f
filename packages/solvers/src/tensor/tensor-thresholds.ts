import { residual } from '../data/linear-algebra.js';
import { dualityGap, type Coefficients, type SparseProblem } from '../solvers/problem.js';

/** The units of a problem: each feature's unit, and each unit's features. */
export interface UnitIndex {
  readonly unitOf: Int32Array;
  readonly members: number[][];
}

/**
 * Sets to exact zero every unit whose coefficients' largest magnitude is ≤ τ, for the largest τ in
 * 10⁻²…10⁻⁸ × max|W| that keeps the duality gap within max(gap before, tolerance).
 */
function thresholdByMagnitude(
  problem: SparseProblem,
  c: Coefficients,
  units: UnitIndex,
  tolerance: number,
  before: ReturnType<typeof dualityGap>,
) {
  const { k } = problem;
  const scale = c.w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const unitMax = units.members.map((m) =>
    m.reduce((mx, j) => Math.max(mx, ...Array.from(c.w.subarray(j * k, j * k + k), Math.abs)), 0),
  );
  // Zeroing tiny coefficients may move the float64 gap a little either way; allow 10%.
  const allowed = problem.penalty.convex ? Math.max(1.1 * before.gap, tolerance) : Infinity;
  for (const relative of [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8]) {
    const threshold = relative * scale;
    if (!unitMax.some((m) => m > 0 && m <= threshold)) continue;
    const w = Float64Array.from(c.w);
    units.members.forEach((m, g) => {
      if ((unitMax[g] as number) <= threshold) for (const j of m) w.fill(0, j * k, j * k + k);
    });
    const candidate = { w, intercept: c.intercept };
    const at = dualityGap(problem, candidate);
    if (
      problem.penalty.convex ? at.gap <= allowed : at.objective <= before.objective * (1 + 1e-6)
    ) {
      return { coefficients: candidate, at, threshold };
    }
  }
  return { coefficients: c, at: before, threshold: 0 };
}

/**
 * Exact zeros for spred's answer: the magnitude threshold above, then — for squared loss with an
 * L1 or elastic-net penalty — every remaining coefficient whose removal does not raise the
 * objective is removed. Removing w_j changes the objective by
 * Δ_j = w_j·x_jᵀr/n + w_j²(‖x_j‖²/n + ridge)/2 − αρ|w_j| (r the residual): positive for a true
 * nonzero (where x_jᵀr/n = αρ·sign(w_j) − ridge·w_j), negative for a coefficient that only sits
 * near zero because float32 L-BFGS stopped short of it. The objective only goes down.
 */
export function thresholdCoefficients(
  problem: SparseProblem,
  c: Coefficients,
  units: UnitIndex,
  tolerance: number,
  before: ReturnType<typeof dualityGap>,
) {
  const byMagnitude = thresholdByMagnitude(problem, c, units, tolerance, before);
  const { penalty, datafit, x, k } = problem;
  if (datafit.name !== 'squared' || (penalty.name !== 'l1' && penalty.name !== 'elasticnet'))
    return byMagnitude;
  const n = x.rows;
  const w = Float64Array.from(byMagnitude.coefficients.w);
  const r = residual(x, problem.y, w, k);
  const levels = penalty.unitLevels(x.cols);
  let pruned = 0;
  let largest = byMagnitude.threshold;
  for (let j = 0; j < x.cols; j++) {
    for (let c2 = 0; c2 < k; c2++) {
      const wj = w[j * k + c2] as number;
      if (wj === 0) continue;
      let dot = 0;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        const xij = x.data[j * n + i] as number;
        dot += xij * (r[c2 * n + i] as number);
        norm += xij * xij;
      }
      const delta =
        (wj * dot) / n +
        0.5 * wj * wj * (norm / n + penalty.ridge) -
        (levels[j] as number) * Math.abs(wj);
      if (delta < 0) {
        for (let i = 0; i < n; i++)
          r[c2 * n + i] = (r[c2 * n + i] as number) + wj * (x.data[j * n + i] as number);
        w[j * k + c2] = 0;
        largest = Math.max(largest, Math.abs(wj));
        pruned++;
      }
    }
  }
  if (pruned === 0) return byMagnitude;
  const coefficients = { w, intercept: byMagnitude.coefficients.intercept };
  return { coefficients, at: dualityGap(problem, coefficients), threshold: largest };
}

/**
 * Between working-set rounds: zero the units whose largest coefficient is below `relative` ×
 * max|W|, without checking the gap (cheap). They only seed the next round, and tiny leftovers would
 * otherwise keep their features in the working set.
 */
export function dropTinyUnits(
  c: Coefficients,
  units: UnitIndex,
  k: number,
  relative: number,
): Coefficients {
  const scale = c.w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const w = Float64Array.from(c.w);
  for (const members of units.members) {
    let largest = 0;
    for (const j of members)
      for (let q = 0; q < k; q++) largest = Math.max(largest, Math.abs(w[j * k + q] as number));
    if (largest > 0 && largest <= relative * scale)
      for (const j of members) w.fill(0, j * k, j * k + k);
  }
  return { w, intercept: c.intercept };
}
