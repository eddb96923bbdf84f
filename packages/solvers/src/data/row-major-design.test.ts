import { describe, expect, it } from 'vitest';
import { gaussian, sparseRegression } from '../testing/synthetic.js';
import { Lasso } from '../estimators/regressors.js';
import { preprocess } from '../estimators/fit-linear.js';
import { restrictProblem } from '../solvers/working-set.js';
import { squaredLoss } from '../datafits/squared.js';
import { l1Penalty } from '../penalties/l1.js';
import { columnSquaredNorms, multiply, multiplyTransposed } from './linear-algebra.js';
import { toDesignMatrix, type DesignMatrix } from './design-matrix.js';

/** The same random n × d matrix as a row-major design (float64 values) and a column-major one. */
function bothLayouts(n: number, d: number, seed: number): [DesignMatrix, DesignMatrix] {
  const draw = gaussian(seed);
  const values = Float64Array.from({ length: n * d }, draw);
  const rowMajor = toDesignMatrix({ rows: n, cols: d, values });
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) data[j * n + i] = values[i * d + j] as number;
  return [rowMajor, { rows: n, cols: d, data }];
}

describe('a row-major float64 X, kept as it came', () => {
  const n = 37;
  const d = 53;
  const [rows, columns] = bothLayouts(n, d, 4);

  it('is kept row-major, and its columns are its exact transpose', () => {
    expect(rows.rowMajor).toBeInstanceOf(Float64Array);
    expect(columns.rowMajor).toBeUndefined();
    expect(Array.from(rows.data)).toEqual(Array.from(columns.data));
  });

  it('gives XW, XᵀR and column norms equal (to rounding) to the column-major ones, k = 1 and 3', () => {
    const draw = gaussian(9);
    for (const k of [1, 3]) {
      // W with zero rows (skipped) and R with a zero entry (skipped).
      const w = Float64Array.from({ length: d * k }, (_, e) =>
        Math.floor(e / k) % 3 === 0 ? 0 : draw(),
      );
      const r = Float64Array.from({ length: n * k }, (_, e) => (e === 5 ? 0 : draw()));
      const close = (a: Float64Array, b: Float64Array) =>
        a.forEach((v, e) => expect(v).toBeCloseTo(b[e] as number, 12));
      close(multiply(rows, w, k), multiply(columns, w, k));
      close(multiplyTransposed(rows, r, k), multiplyTransposed(columns, r, k));
    }
    columnSquaredNorms(rows).forEach((v, j) =>
      expect(v).toBeCloseTo(columnSquaredNorms(columns)[j] as number, 12),
    );
  });

  it("restricts to a working set's columns exactly", () => {
    const problem = (x: DesignMatrix) => ({
      x,
      y: new Float64Array(n),
      k: 1,
      datafit: squaredLoss,
      penalty: l1Penalty(0.1),
      fitIntercept: false,
    });
    const features = [0, 3, 4, 17, 52];
    expect(Array.from(restrictProblem(problem(rows), features).x.data)).toEqual(
      Array.from(restrictProblem(problem(columns), features).x.data),
    );
  });

  it('is centred and standardized like the column-major X (and stays row-major)', () => {
    const y = new Float64Array(n);
    const a = preprocess(rows, y, 1, { center: true, centerY: true, standardize: true });
    const b = preprocess(columns, y, 1, { center: true, centerY: true, standardize: true });
    expect(a.x.rowMajor).toBeDefined();
    a.x.data.forEach((v, e) => expect(v).toBeCloseTo(b.x.data[e] as number, 12));
    a.prep.xScale.forEach((v, j) => expect(v).toBeCloseTo(b.prep.xScale[j] as number, 12));
    const constant = toDesignMatrix({
      rows: 3,
      cols: 2,
      values: Float64Array.of(1, 5, 2, 5, 3, 5),
    });
    expect(() =>
      preprocess(constant, new Float64Array(3), 1, {
        center: true,
        centerY: false,
        standardize: true,
      }),
    ).toThrow('feature 1 of X is constant (all values 5)');
  });

  it('gives the same lasso as nested arrays, with and without an intercept', () => {
    const { x, y } = sparseRegression(60, 150, 5, 0.1, 8);
    const values = Float64Array.from(x.flat());
    for (const fitIntercept of [false, true]) {
      const nested = new Lasso({ alpha: 0.05, tol: 1e-10, fitIntercept }).fit(x, y);
      const flat = new Lasso({ alpha: 0.05, tol: 1e-10, fitIntercept }).fit(
        { rows: 60, cols: 150, values },
        y,
      );
      expect(flat.converged).toBe(true);
      flat.coef.forEach((v, j) => expect(v).toBeCloseTo(nested.coef[j] as number, 9));
      expect(flat.intercept).toBeCloseTo(nested.intercept, 9);
    }
  });
});
