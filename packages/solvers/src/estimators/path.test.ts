import { describe, expect, it } from 'vitest';
import { alphaMax, lassoPath } from './path.js';
import { Lasso } from './regressors.js';
import { orthogonalDesign, sparseRegression } from '../testing/synthetic.js';

describe('lassoPath', () => {
  it('starts at α_max = ‖Xᵀ(y − ȳ)‖∞/n with w = 0, and support only grows on an orthogonal design', () => {
    const x = orthogonalDesign(32, 10);
    const y = x.map(
      (row, i) => row.reduce((s, v, j) => s + v * (10 - j) * 0.2, 0) + 0.1 * Math.cos(i),
    );
    for (const solver of ['cd', 'spred'] as const) {
      const path = lassoPath(x, y, { nAlphas: 12, eps: 1e-2, solver });
      expect(path.alphas[0]).toBeCloseTo(path.alphaMax, 12);
      expect(path.nnz[0]).toBe(0);
      for (let i = 1; i < path.nnz.length; i++)
        expect(path.nnz[i]).toBeGreaterThanOrEqual(path.nnz[i - 1] as number);
      expect(path.nnz.at(-1)).toBe(10);
      expect(path.converged.every(Boolean)).toBe(true);
    }
  });

  it('warm-started spred follows the CD path on a random problem', () => {
    const { x, y } = sparseRegression(100, 200, 8, 0.5, 14);
    const cd = lassoPath(x, y, { nAlphas: 8, eps: 0.05, solver: 'cd', tol: 1e-10 });
    const spred = lassoPath(x, y, { nAlphas: 8, eps: 0.05, solver: 'spred' });
    expect(spred.nnz).toEqual(cd.nnz);
    spred.objectives.forEach((o, i) =>
      expect(
        Math.abs(o - (cd.objectives[i] as number)) / (cd.objectives[i] as number),
      ).toBeLessThan(1e-6),
    );
    expect(alphaMax(x, y)).toBeCloseTo(cd.alphaMax, 12);
  });

  it('takes the penalties by name, weights included: its last point is the weighted lasso at that α', () => {
    const { x, y } = sparseRegression(60, 40, 4, 0.3, 31);
    const weights = Array.from({ length: 40 }, (_, j) => 1 + (j % 4) / 2);
    const path = lassoPath(x, y, { nAlphas: 8, eps: 1e-2, weights, tol: 1e-10 });
    const alpha = path.alphas.at(-1) as number;
    const single = new Lasso({ alpha, weights, solver: 'cd', tol: 1e-12 }).fit(x, y);
    expect(path.converged.every(Boolean)).toBe(true);
    expect(
      Math.abs((path.objectives.at(-1) as number) - single.objective) / single.objective,
    ).toBeLessThan(1e-9);
    expect(() => lassoPath(x, y, { depth: 3 })).toThrow(/need a convex penalty; l2\/3 is not/);
  });
});
