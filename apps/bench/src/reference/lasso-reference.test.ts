import { alphaMax, softThreshold } from '@spredjs/solvers';
import { describe, expect, it } from 'vitest';
import { lassoDualityGap } from '../problems/lasso-objective.js';
import { sparseGaussianProblem } from '../problems/sparse-gaussian.js';
import { lassoReference } from './lasso-reference.js';

describe('lasso reference', () => {
  const problem = sparseGaussianProblem(60, 150, 5, 0.5, 3);
  const top = alphaMax(problem.x, problem.y, { fitIntercept: false });
  const p0 = problem.y.reduce((s, v) => s + v * v, 0) / (2 * problem.x.rows);

  it('CD then the exact KKT solve on its support closes the duality gap to ≤ 1e-12 · P(0)', () => {
    for (const ratio of [0.5, 0.1, 0.01]) {
      const ref = lassoReference(problem.x, problem.y, ratio * top);
      expect(ref.certificate.gap).toBeLessThanOrEqual(1e-12 * p0);
      expect(ref.certified).toBe(true);
      expect(ref.objectiveAtZero).toBeCloseTo(p0, 12);
    }
  });

  it('the duality gap is 0 at the KKT solution and positive anywhere else', () => {
    const alpha = 0.1 * top;
    const ref = lassoReference(problem.x, problem.y, alpha);
    expect(Math.abs(lassoDualityGap(problem.x, problem.y, ref.coef, alpha).gap)).toBeLessThan(
      1e-12 * p0,
    );
    const moved = Float64Array.from(ref.coef);
    const j = moved.findIndex((v) => v !== 0);
    moved[j] = (moved[j] as number) * 1.01;
    expect(lassoDualityGap(problem.x, problem.y, moved, alpha).gap).toBeGreaterThan(1e-9 * p0);
    const zero = new Float64Array(problem.x.cols);
    expect(lassoDualityGap(problem.x, problem.y, zero, alpha).gap).toBeGreaterThan(1e-3 * p0);
  });

  it('matches the closed-form lasso on orthogonal designs: soft-thresholded correlations', () => {
    // X = √n · I stacked on zeros: XᵀX/n = I, so w_j = S(x_jᵀy/n, α).
    const n = 8;
    const d = 4;
    const data = new Float64Array(n * d);
    for (let j = 0; j < d; j++) data[j * n + j] = Math.sqrt(n);
    const y = Float64Array.of(3, -2, 0.5, 1, 0.3, -0.2, 0.1, 0);
    const alpha = 0.4;
    const ref = lassoReference({ rows: n, cols: d, data }, y, alpha);
    const expected = [0, 1, 2, 3].map((j) =>
      softThreshold((Math.sqrt(n) * (y[j] as number)) / n, alpha),
    );
    Array.from(ref.coef).forEach((w, j) => expect(w).toBeCloseTo(expected[j] as number, 14));
  });
});
