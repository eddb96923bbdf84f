import { describe, expect, it } from 'vitest';
import { ElasticNet, Lasso } from './regressors.js';
import { softThreshold } from '../penalties/l1.js';
import { orthogonalLassoProblem, sparseRegression } from '../testing/synthetic.js';

describe('Lasso on an orthogonal design matches the closed-form soft threshold', () => {
  // XᵀX = nI and centered columns: w = S(Xᵀ(y − ȳ)/n, α).
  const { x, y, d, ybar, z } = orthogonalLassoProblem();

  for (const alpha of [0.02, 0.15, 0.35, 0.7, 1.2]) {
    const exact = z.map((zj) => softThreshold(zj, alpha));
    const zeros = exact.filter((v) => v === 0).length / d;
    for (const solver of ['spred', 'cd', 'fista'] as const) {
      it(`α = ${alpha}, solver ${solver}: coefficients and share of zeros`, () => {
        // spred computes in float32: its default tol 1e-6 is about as tight as float32 gets.
        const model = new Lasso({ alpha, solver, tol: solver === 'spred' ? 1e-6 : 1e-10 }).fit(
          x,
          y,
        );
        model.coef.forEach((v, j) =>
          expect(v).toBeCloseTo(exact[j] as number, solver === 'spred' ? 4 : 8),
        );
        expect(model.coef.filter((v) => v === 0).length / d).toBe(zeros);
        expect(model.intercept).toBeCloseTo(ybar, 6);
        expect(model.converged).toBe(true);
      });
    }
  }
});

describe('spred agrees with coordinate descent on random problems', () => {
  for (const [n, d, seed] of [
    [100, 300, 1],
    [200, 1000, 2],
  ] as const) {
    for (const ratio of [0.3, 0.05]) {
      it(`n=${n}, d=${d}, α = ${ratio}·α_max: objective within 1e-6, identical support, gap ≤ tol`, () => {
        const { x, y } = sparseRegression(n, d, 10, 0.5, seed);
        const alphaMaxValue = Math.max(
          ...Array.from({ length: d }, (_, j) => {
            const yb = y.reduce((a, b) => a + b, 0) / n;
            const xb = x.reduce((s, r) => s + (r[j] as number), 0) / n;
            return (
              Math.abs(
                x.reduce((s, r, i) => s + ((r[j] as number) - xb) * ((y[i] as number) - yb), 0),
              ) / n
            );
          }),
        );
        const alpha = ratio * alphaMaxValue;
        const cd = new Lasso({ alpha, solver: 'cd', tol: 1e-10 }).fit(x, y);
        const spred = new Lasso({ alpha, solver: 'spred', tol: 1e-6 }).fit(x, y);
        expect((spred.objective - cd.objective) / cd.objective).toBeLessThan(1e-6);
        expect(spred.coef.map((v) => v !== 0)).toEqual(cd.coef.map((v) => v !== 0));
        expect(spred.converged).toBe(true);
        const scale =
          y.reduce((s, v) => s + (v - y.reduce((a, b) => a + b, 0) / n) ** 2, 0) / (2 * n);
        expect(spred.dualityGap).toBeLessThanOrEqual(1e-6 * scale);
        expect(spred.threshold).toBeGreaterThan(0);
      });
    }
  }
});

describe('ElasticNet', () => {
  it('spred, CD and FISTA agree', () => {
    const { x, y } = sparseRegression(80, 60, 6, 0.3, 4);
    const fits = (['cd', 'fista', 'spred'] as const).map((solver) =>
      new ElasticNet({ alpha: 0.1, l1Ratio: 0.6, solver, tol: 1e-9 }).fit(x, y),
    );
    const [cd, fista, spred] = fits as [ElasticNet, ElasticNet, ElasticNet];
    expect(Math.abs(fista.objective - cd.objective) / cd.objective).toBeLessThan(1e-8);
    expect(Math.abs(spred.objective - cd.objective) / cd.objective).toBeLessThan(1e-6);
    expect(spred.coef.map((v) => v !== 0)).toEqual(cd.coef.map((v) => v !== 0));
    cd.coef.forEach((v, j) => expect(spred.coef[j]).toBeCloseTo(v, 3));
  });
});

describe('Lasso options', () => {
  it('weights scale each feature’s penalty: a heavily weighted feature is dropped first', () => {
    const { x, y } = sparseRegression(60, 5, 5, 0.1, 5);
    const plain = new Lasso({ alpha: 0.05, solver: 'cd' }).fit(x, y);
    const weighted = new Lasso({ alpha: 0.05, solver: 'cd', weights: [1, 1, 1, 1, 1000] }).fit(
      x,
      y,
    );
    const spred = new Lasso({ alpha: 0.05, solver: 'spred', weights: [1, 1, 1, 1, 1000] }).fit(
      x,
      y,
    );
    expect(plain.coef[4]).not.toBe(0);
    expect(weighted.coef[4]).toBe(0);
    expect(spred.coef[4]).toBe(0);
    expect(Math.abs(spred.objective - weighted.objective) / weighted.objective).toBeLessThan(1e-6);
  });

  it('standardize fits on unit-variance features and reports coefficients on the original scale', () => {
    const { x, y } = sparseRegression(50, 4, 4, 0.1, 6);
    const scaled = x.map((row) => row.map((v, j) => v * 10 ** j));
    const a = new Lasso({ alpha: 0.05, solver: 'cd', standardize: true, tol: 1e-10 }).fit(x, y);
    const b = new Lasso({ alpha: 0.05, solver: 'cd', standardize: true, tol: 1e-10 }).fit(
      scaled,
      y,
    );
    b.coef.forEach((v, j) => expect(v * 10 ** j).toBeCloseTo(a.coef[j] as number, 6));
    expect(b.score(scaled, y)).toBeCloseTo(a.score(x, y), 8);
  });

  it('depth 3 (L_{2/3}) is sparser than the lasso at an equal fit', () => {
    const { x, y } = sparseRegression(100, 40, 5, 0.5, 7);
    const lasso = new Lasso({ alpha: 0.02, solver: 'spred' }).fit(x, y);
    const deep = new Lasso({ alpha: 0.02, depth: 3, solver: 'spred' }).fit(x, y);
    expect(Number.isNaN(deep.dualityGap)).toBe(true);
    expect(deep.nnz).toBeLessThan(lasso.nnz);
    expect(deep.score(x, y)).toBeGreaterThan(0.9);
  });
});
