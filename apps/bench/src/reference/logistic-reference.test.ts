import { mulberry32 } from '@spredjs/optim';
import { SparseLogisticRegression } from '@spredjs/solvers';
import { describe, expect, it } from 'vitest';
import { logisticDatafit } from '../problems/datafit.js';
import { dualityGap } from '../problems/duality-gap.js';
import { sparseGaussianProblem } from '../problems/sparse-gaussian.js';
import { logisticAlphaMax, logisticReference } from './logistic-reference.js';
import { solveOnSupport } from './support-solve.js';

describe('logistic reference', () => {
  const problem = sparseGaussianProblem(80, 120, 4, 0.5, 11);
  const uniform = mulberry32(5);
  const labels = Float64Array.from(problem.y, (v) => (v + 0.3 * (uniform() - 0.5) > 0 ? 1 : 0));
  const top = logisticAlphaMax(problem.x, labels);
  const datafit = logisticDatafit(labels);

  it('w = 0 is optimal exactly from α_max = ‖Xᵀ(y − 1/2)‖∞ / n up', () => {
    const zero = new Float64Array(problem.x.cols);
    expect(Math.abs(dualityGap(problem.x, datafit, zero, top).gap)).toBeLessThan(1e-15);
    expect(dualityGap(problem.x, datafit, zero, 0.9 * top).gap).toBeGreaterThan(1e-6);
    const ref = logisticReference(problem.x, labels, 1.01 * top);
    expect(ref.coef.every((w) => w === 0)).toBe(true);
  });

  it('feature-sign search with Newton solves closes the duality gap to ≤ 1e-12 · P(0)', () => {
    const ref = logisticReference(problem.x, labels, 0.1 * top);
    expect(ref.method).toMatch(/^feature-sign search/);
    expect(ref.coef.some((w) => w !== 0)).toBe(true);
    expect(ref.objectiveAtZero).toBeCloseTo(Math.log(2), 14);
    expect(ref.certificate.gap).toBeLessThanOrEqual(1e-12 * Math.log(2));
    const moved = Float64Array.from(ref.coef, (w) => w * 0.99);
    expect(dualityGap(problem.x, datafit, moved, 0.1 * top).gap).toBeGreaterThan(1e-9);
  });

  it('agrees with our FISTA polished on its support: one optimum, found two ways', () => {
    const alpha = 0.1 * top;
    const ref = logisticReference(problem.x, labels, alpha);
    const fista = new SparseLogisticRegression({
      alpha,
      solver: 'fista',
      tol: 1e-8,
      fitIntercept: false,
    }).fit(problem.x, Array.from(labels));
    const start = Float64Array.from(fista.coefMatrix, (row) => row[0] as number);
    const polished = solveOnSupport(problem.x, datafit, alpha, start).coef;
    expect(dualityGap(problem.x, datafit, polished, alpha).primal).toBeCloseTo(
      ref.certificate.primal,
      13,
    );
    polished.forEach((w, j) => expect(w).toBeCloseTo(ref.coef[j] as number, 8));
  });
});
