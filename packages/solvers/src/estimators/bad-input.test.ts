import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SpredInputError } from '@spredjs/core';
import { GroupLasso, Lasso, MultiTaskLasso } from './regressors.js';
import { lassoPath } from './path.js';

describe('bad input gets a clear error', () => {
  const x = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 10],
    [1, 0, 1],
  ];
  const y = [1, 2, 3, 4];

  it('shape mismatches', () => {
    expect(() => new Lasso({ alpha: 0.1 }).fit(x, [1, 2, 3])).toThrow(
      /X has 4 rows but y has 3 values/,
    );
    expect(() => new Lasso({ alpha: 0.1 }).fit([[1, 2], [3]], [1, 2])).toThrow(
      /X row 1 has 1 values but row 0 has 2/,
    );
    expect(() => new Lasso({ alpha: 0.1 }).fit(x, x)).toThrow(
      /y has 3 columns; Lasso fits one output \(use MultiTaskLasso/,
    );
    const fitted = new Lasso({ alpha: 0.1, solver: 'cd' }).fit(x, y);
    expect(() => fitted.predict([[1, 2]])).toThrow(
      /X has 2 features but the model was fitted with 3/,
    );
    expect(() => new Lasso({ alpha: 0.1 }).predict(x)).toThrow(/not fitted yet/);
    expect(() => new GroupLasso({ alpha: 0.1, groups: [0, 1] }).fit(x, y)).toThrow(
      /groups has 2 entries but X has 3 features/,
    );
    expect(() => new Lasso({ alpha: 0.1 }).fit(tf.zeros([4]), y)).toThrow(
      /X must be a 2-D tensor, got shape \[4\]/,
    );
  });

  it('NaN and Inf, naming where', () => {
    expect(() =>
      new Lasso({ alpha: 0.1 }).fit(
        [
          [1, 2],
          [NaN, 1],
        ],
        [1, 2],
      ),
    ).toThrow(/X has a non-finite value \(NaN\) at row 1, column 0/);
    expect(() =>
      new Lasso({ alpha: 0.1 }).fit(
        [
          [1, 2],
          [3, 1],
        ],
        [1, Infinity],
      ),
    ).toThrow(/y has a non-finite value \(Infinity\) at index 1/);
  });

  it('α < 0, α = 0 and unknown solvers', () => {
    expect(() => new Lasso({ alpha: -1 }).fit(x, y)).toThrow(
      'alpha must be positive and finite, got -1',
    );
    expect(() => new Lasso({ alpha: 0 }).fit(x, y)).toThrow(
      'alpha must be positive and finite, got 0',
    );
    expect(() => new Lasso({ alpha: 0.1, solver: 'lars' as 'cd' }).fit(x, y)).toThrow(
      /unknown solver 'lars'/,
    );
    expect(() => new Lasso({ alpha: 0.1, depth: 3, solver: 'cd' }).fit(x, y)).toThrow(
      /nonconvex: only solver 'spred'/,
    );
    expect(() => new MultiTaskLasso({ alpha: -2 }).fit(x, y)).toThrow(SpredInputError);
  });

  it('constant columns cannot be standardized; without standardize they get a zero coefficient', () => {
    const constant = x.map((row) => [...row, 5]);
    expect(() => new Lasso({ alpha: 0.1, standardize: true }).fit(constant, y)).toThrow(
      /feature 3 of X is constant \(all values 5\)/,
    );
    expect(new Lasso({ alpha: 0.01, solver: 'cd' }).fit(constant, y).coef[3]).toBe(0);
  });

  it('an X too large for memory is refused with its size', () => {
    expect(() =>
      new Lasso({ alpha: 0.1 }).fit(
        { rows: 100_000, cols: 1_000_000, values: new Float32Array(0) },
        y,
      ),
    ).toThrow(
      /X has 100000 × 1000000 = 100000000000 entries \(745\.1 GiB as float64\), more than the in-memory solvers take/,
    );
  });

  it('a constant y has α_max = 0', () => {
    expect(() => lassoPath(x, [2, 2, 2, 2])).toThrow(/α_max is 0: y is constant/);
  });
});
