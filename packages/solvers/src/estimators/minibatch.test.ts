import { describe, expect, it } from 'vitest';
import { GroupLasso, Lasso } from './regressors.js';
import { sparseRegression } from '../testing/synthetic.js';

describe('spred on tfjs tensors, full-batch L-BFGS on working sets', () => {
  it('reaches the CD answer (float32 accuracy) on sets smaller than d, lasso and group lasso', async () => {
    const { x, y } = sparseRegression(120, 200, 6, 0.2, 23);
    const cd = new Lasso({ alpha: 0.05, solver: 'cd', tol: 1e-12 }).fit(x, y);
    const tensor = await new Lasso({
      alpha: 0.05,
      tol: 1e-6,
      spred: { device: 'tensor' },
    }).fitAsync(x, y);
    expect(tensor.converged).toBe(true);
    expect((tensor.objective - cd.objective) / cd.objective).toBeLessThan(1e-5);
    expect(tensor.coef.map((v) => v !== 0)).toEqual(cd.coef.map((v) => v !== 0));
    const sets = tensor.history.map((r) => r.workingSet ?? Infinity);
    expect(Math.max(...sets)).toBeLessThan(200);
    expect(sets.length).toBeGreaterThan(1);
    const groups = Array.from({ length: 200 }, (_, j) => Math.floor(j / 4));
    const blockCd = new GroupLasso({ alpha: 0.05, groups, solver: 'cd', tol: 1e-12 }).fit(x, y);
    const grouped = await new GroupLasso({
      alpha: 0.05,
      groups,
      tol: 1e-6,
      spred: { device: 'tensor' },
    }).fitAsync(x, y);
    expect(grouped.converged).toBe(true);
    expect((grouped.objective - blockCd.objective) / blockCd.objective).toBeLessThan(1e-5);
    expect(grouped.coef.map((v) => v !== 0)).toEqual(blockCd.coef.map((v) => v !== 0));
  });
});

describe('spred on mini-batches (Adam), for data that does not fit one batch', () => {
  it('lands near the coordinate-descent answer with the same support', async () => {
    const { x, y } = sparseRegression(2000, 40, 5, 0.3, 21);
    const cd = new Lasso({ alpha: 0.05, solver: 'cd', tol: 1e-10 }).fit(x, y);
    const adam = await new Lasso({
      alpha: 0.05,
      tol: 1e-4,
      spred: { optimizer: 'adam', batchSize: 256, epochs: 40, learningRate: 0.02 },
    }).fitAsync(x, y);
    expect(Math.abs(adam.objective - cd.objective) / cd.objective).toBeLessThan(1e-3);
    expect(adam.coef.map((v) => v !== 0)).toEqual(cd.coef.map((v) => v !== 0));
  });

  it('fit (synchronous) points to fitAsync for mini-batch training', () => {
    const { x, y } = sparseRegression(50, 5, 2, 0.1, 22);
    expect(() => new Lasso({ alpha: 0.05, spred: { optimizer: 'adam' } }).fit(x, y)).toThrow(
      /runs asynchronously: use the estimators' fitAsync/,
    );
  });
});
