import { describe, expect, it } from 'vitest';
import { Lasso } from './regressors.js';
import { sparseRegression } from '../testing/synthetic.js';

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
