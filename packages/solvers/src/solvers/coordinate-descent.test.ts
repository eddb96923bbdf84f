import { describe, expect, it } from 'vitest';
import type { DesignMatrix } from '../data/design-matrix.js';
import { squaredLoss } from '../datafits/squared.js';
import { l1Penalty } from '../penalties/l1.js';
import { coordinateDescentSolver } from './solver.js';
import { coordinateDescent } from './coordinate-descent.js';
import { fista } from './fista.js';
import { dualityGap, type SparseProblem } from './problem.js';

// Columns of the 8 × 8 Sylvester–Hadamard matrix: orthogonal with ‖x_j‖² = n, so XᵀX/n = I and the
// lasso separates per coefficient.
const n = 8;
const d = 6;
const hadamard = (i: number, j: number) => {
  let bits = i & j;
  let parity = 0;
  while (bits > 0) {
    parity ^= bits & 1;
    bits >>= 1;
  }
  return parity === 0 ? 1 : -1;
};
const x: DesignMatrix = {
  rows: n,
  cols: d,
  data: Float64Array.from({ length: n * d }, (_, e) => hadamard(e % n, 1 + Math.floor(e / n))),
};
const y = Float64Array.of(3, -1, 2, 0.5, -2, 1, 4, -0.5);
const correlations = Array.from({ length: d }, (_, j) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += (x.data[j * n + i] as number) * (y[i] as number);
  return s / n;
});
const alpha = 0.3;
const problem = (positive: boolean): SparseProblem => ({
  x,
  y,
  k: 1,
  datafit: squaredLoss,
  penalty: l1Penalty(alpha, undefined, { positive }),
  fitIntercept: false,
});

describe('coordinate descent with positive coefficients (the non-negative lasso)', () => {
  it('matches the closed form on orthonormal designs: w_j = max(0, x_jᵀy/n − α)', () => {
    // The design has both signs of correlation above α, so the constraint binds.
    expect(correlations.filter((c) => c > alpha).length).toBeGreaterThan(0);
    expect(correlations.filter((c) => c < -alpha).length).toBeGreaterThan(0);
    const fit = coordinateDescent(problem(true), { tol: 1e-12 });
    expect(fit.converged).toBe(true);
    Array.from(fit.w).forEach((w, j) =>
      expect(w).toBeCloseTo(Math.max(0, (correlations[j] as number) - alpha), 12),
    );
    // Without the constraint, the soft threshold keeps the negative ones.
    const free = coordinateDescent(problem(false), { tol: 1e-12 });
    Array.from(free.w).forEach((w, j) => {
      const c = correlations[j] as number;
      expect(w).toBeCloseTo(Math.sign(c) * Math.max(0, Math.abs(c) - alpha), 12);
    });
  });

  it('certifies its answer with the positive duality gap, and FISTA and working sets agree', () => {
    const positive = problem(true);
    const exact = Float64Array.from(correlations, (c) => Math.max(0, c - alpha));
    const at = dualityGap(positive, { w: exact, intercept: new Float64Array(1) });
    expect(at.gap).toBeLessThan(1e-14);
    // The same point is not optimal for the unconstrained lasso: its gap stays open.
    const free = dualityGap(problem(false), { w: exact, intercept: new Float64Array(1) });
    expect(free.gap).toBeGreaterThan(1e-3);
    const viaFista = fista(positive, { tol: 1e-12 });
    const viaWorkingSets = coordinateDescentSolver({ initialWorkingSet: 1 }).solve(positive, {
      tol: 1e-12,
    });
    for (const fit of [viaFista, viaWorkingSets]) {
      expect(fit.converged).toBe(true);
      Array.from(fit.w).forEach((w, j) => expect(w).toBeCloseTo(exact[j] as number, 8));
    }
  });

  it('prices a negative coefficient at +∞ and has no spred factorization', () => {
    const penalty = l1Penalty(alpha, undefined, { positive: true });
    expect(penalty.value(Float64Array.of(1, 2), 2, 1)).toBeCloseTo(0.9, 12);
    expect(penalty.value(Float64Array.of(1, -2), 2, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(Array.from(penalty.prox?.(Float64Array.of(1, -2, 0.1), 1, 3, 1) ?? [])).toEqual([
      0.7, 0, 0,
    ]);
    expect(() => penalty.factorization(2, 1)).toThrow(
      "the positive lasso has no spred factorization: solve it with solver 'cd' or 'fista'",
    );
  });
});
