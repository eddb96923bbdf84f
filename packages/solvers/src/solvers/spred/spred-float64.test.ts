import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toDesignMatrix } from '../../data/design-matrix.js';
import { squaredLoss } from '../../datafits/squared.js';
import { logisticLoss } from '../../datafits/logistic.js';
import { Lasso, ElasticNet, GroupLasso, MultiTaskLasso } from '../../estimators/regressors.js';
import { SparseLogisticRegression } from '../../estimators/sparse-logistic-regression.js';
import { groupL1Penalty } from '../../penalties/group-l1.js';
import { l1Penalty } from '../../penalties/l1.js';
import { sparseRegression } from '../../testing/synthetic.js';
import type { SparseProblem } from '../problem.js';
import { exactFinish } from './exact-finish.js';
import { factoredObjective } from './factored-objective.js';

const relGap = (a: number, reference: number) => (a - reference) / reference;

describe('the float64 factored objective', () => {
  const { x, y } = sparseRegression(30, 8, 3, 0.1, 5);
  const design = toDesignMatrix(x);
  const cases: [string, SparseProblem][] = [
    [
      'weighted L1, squared loss',
      {
        x: design,
        y: Float64Array.from(y),
        k: 1,
        datafit: squaredLoss,
        penalty: l1Penalty(0.1, [1, 2, 0.5, 1, 1, 3, 1, 1]),
        fitIntercept: false,
      },
    ],
    [
      'groups, logistic loss with an intercept',
      {
        x: design,
        y: Float64Array.from(y, (v) => (v > 0 ? 1 : 0)),
        k: 1,
        datafit: logisticLoss,
        penalty: groupL1Penalty(0.05, [0, 0, 1, 1, 1, 2, 3, 3]),
        fitIntercept: true,
      },
    ],
  ];
  it.each(cases)('has the gradient of its value (central differences): %s', (_, problem) => {
    const f = factoredObjective(problem);
    const draw = sparseRegression(1, f.size, 0, 0, 9).x[0] as number[];
    const point = Float64Array.from(draw, (v) => 0.5 * v);
    const { gradient } = f.evaluate(point);
    for (let i = 0; i < f.size; i++) {
      const h = 1e-6;
      const up = Float64Array.from(point);
      const down = Float64Array.from(point);
      up[i] = (up[i] as number) + h;
      down[i] = (down[i] as number) - h;
      const numeric = (f.evaluate(up).value - f.evaluate(down).value) / (2 * h);
      expect(Math.abs(numeric - (gradient[i] as number))).toBeLessThan(1e-7);
    }
  });

  it('starts balanced where V ≠ 0, violators off the saddle, optimal zeros at U = W = 0', () => {
    const problem = cases[0]![1];
    const f = factoredObjective(problem);
    const v = Float64Array.of(0.5, 0, -2, 0, 0, 1.5, 0, 0);
    const start = { w: v, intercept: new Float64Array(1) };
    const xs = f.factors(start);
    const back = f.coefficients(xs).w;
    // Nonzeros: V round-trips and |U| = |W|.
    for (const j of [0, 2, 5]) {
      expect(back[j]).toBeCloseTo(v[j] as number, 14);
      expect(Math.abs(xs[j] as number)).toBeCloseTo(Math.abs(xs[8 + j] as number), 14);
    }
    // Zeros: the ones whose |∂F/∂v_j| exceeds αω_j = 2κ_j start small in the descent direction.
    const grad = f.evaluate(f.factors({ w: v, intercept: new Float64Array(1) })).gradient;
    void grad;
    const residual = Float64Array.from(problem.y);
    for (let j = 0; j < 8; j++)
      for (let i = 0; i < 30; i++)
        residual[i] =
          (residual[i] as number) - (v[j] as number) * (design.data[j * 30 + i] as number);
    const weights = [1, 2, 0.5, 1, 1, 3, 1, 1];
    for (const j of [1, 3, 4, 6, 7]) {
      let pull = 0;
      for (let i = 0; i < 30; i++)
        pull += (design.data[j * 30 + i] as number) * (residual[i] as number);
      pull /= 30;
      const violates = Math.abs(pull) > 0.1 * (weights[j] as number);
      if (violates) {
        expect(Math.sign(back[j] as number)).toBe(Math.sign(pull));
        expect(Math.abs(back[j] as number)).toBeCloseTo(1e-3 * 2, 12);
      } else {
        expect(xs[j]).toBe(0);
        expect(xs[8 + j]).toBe(0);
      }
    }
  });
});

describe('spred (float64, working sets, exact finish)', () => {
  const { x, y } = sparseRegression(100, 300, 8, 0.5, 11);

  it('reaches the exact lasso answer: relGap ≤ 1e-12 against CD at tol 1e-12, same support', () => {
    const reference = new Lasso({ alpha: 0.05, solver: 'cd', tol: 1e-12 }).fit(x, y);
    const spred = new Lasso({ alpha: 0.05, tol: 1e-10 }).fit(x, y);
    expect(spred.dualityGap).toBeLessThanOrEqual(1e-10 * spred.history.length * 1e3);
    expect(Math.abs(relGap(spred.objective, reference.objective))).toBeLessThan(1e-12);
    expect(spred.coef.map((v) => v !== 0)).toEqual(reference.coef.map((v) => v !== 0));
  });

  it('trains on working sets smaller than d and gives the full solve its answer', () => {
    const ws = new Lasso({ alpha: 0.05, tol: 1e-10 }).fit(x, y);
    const full = new Lasso({ alpha: 0.05, tol: 1e-10, spred: { workingSet: false } }).fit(x, y);
    const sizes = ws.history.map((h) => h.workingSet ?? Infinity);
    expect(Math.max(...sizes)).toBeLessThan(300);
    expect(full.history.every((h) => h.workingSet === undefined)).toBe(true);
    expect(Math.abs(relGap(ws.objective, full.objective))).toBeLessThan(1e-12);
    expect(ws.coef.map((v) => v !== 0)).toEqual(full.coef.map((v) => v !== 0));
  });

  it('the weighted lasso works when d exceeds the first working set (weights of the full problem)', () => {
    const weights = Array.from({ length: 300 }, (_, j) => 1 + (j % 5) / 4);
    const reference = new Lasso({ alpha: 0.05, weights, solver: 'cd', tol: 1e-12 }).fit(x, y);
    const spred = new Lasso({ alpha: 0.05, weights, tol: 1e-10 }).fit(x, y);
    expect(Math.min(...spred.history.map((h) => h.workingSet ?? Infinity))).toBeLessThan(300);
    expect(Math.abs(relGap(spred.objective, reference.objective))).toBeLessThan(1e-12);
    expect(spred.coef.map((v) => v !== 0)).toEqual(reference.coef.map((v) => v !== 0));
  });

  it('elastic net, group and multi-task lasso: certified gaps and the reference objective', () => {
    const groups = Array.from({ length: 300 }, (_, j) => Math.floor(j / 3));
    const pairs = [
      [
        new ElasticNet({ alpha: 0.05, l1Ratio: 0.7, tol: 1e-10 }),
        new ElasticNet({ alpha: 0.05, l1Ratio: 0.7, solver: 'cd', tol: 1e-12 }),
      ],
      [
        new GroupLasso({ alpha: 0.05, groups, tol: 1e-9 }),
        new GroupLasso({ alpha: 0.05, groups, solver: 'cd', tol: 1e-12 }),
      ],
    ] as const;
    for (const [spred, reference] of pairs) {
      spred.fit(x, y);
      reference.fit(x, y);
      expect(spred.converged).toBe(true);
      expect(Math.abs(relGap(spred.objective, reference.objective))).toBeLessThan(1e-8);
    }
    const yy = y.map((v, i) => [v, v * 0.5 + (i % 3)]);
    const mtl = new MultiTaskLasso({ alpha: 0.1, tol: 1e-9 }).fit(x, yy);
    const mtlRef = new MultiTaskLasso({ alpha: 0.1, solver: 'cd', tol: 1e-12 }).fit(x, yy);
    expect(mtl.converged).toBe(true);
    expect(Math.abs(relGap(mtl.objective, mtlRef.objective))).toBeLessThan(1e-8);
  });

  it('sparse logistic regression: Newton finish, objective within 1e-10 of FISTA at tol 1e-12', () => {
    const labels = y.map((v) => (v > 0 ? 'up' : 'down'));
    const spred = new SparseLogisticRegression({ alpha: 0.02, tol: 1e-10 }).fit(x, labels);
    const fista = new SparseLogisticRegression({ alpha: 0.02, solver: 'fista', tol: 1e-12 }).fit(
      x,
      labels,
    );
    expect(spred.converged).toBe(true);
    expect(Math.abs(relGap(spred.objective, fista.objective))).toBeLessThan(1e-10);
  });

  it('the exact finish corrects a support with one feature too many and one missing', () => {
    const reference = new Lasso({ alpha: 0.05, solver: 'cd', tol: 1e-13 }).fit(x, y);
    const support = reference.coef.flatMap((v, j) => (v !== 0 ? [j] : []));
    const outside = reference.coef.findIndex((v) => v === 0);
    const start = Float64Array.from(reference.coef, (v, j) =>
      j === support[0] ? 0 : j === outside ? 1e-3 : v,
    );
    const problem: SparseProblem = {
      x: toDesignMatrix(x),
      y: Float64Array.from(y, (v) => v - y.reduce((a, b) => a + b, 0) / y.length),
      k: 1,
      datafit: squaredLoss,
      penalty: l1Penalty(0.05),
      fitIntercept: false,
    };
    // Centre X as the estimator does.
    const d = problem.x;
    const data = Float64Array.from(d.data);
    for (let j = 0; j < d.cols; j++) {
      let mean = 0;
      for (let i = 0; i < d.rows; i++) mean += data[j * d.rows + i] as number;
      mean /= d.rows;
      for (let i = 0; i < d.rows; i++)
        data[j * d.rows + i] = (data[j * d.rows + i] as number) - mean;
    }
    const finished = exactFinish(
      { ...problem, x: { ...d, data } },
      { w: start, intercept: new Float64Array(1) },
    );
    expect(finished).toBeDefined();
    Array.from(finished!.w).forEach((v, j) =>
      expect(v).toBeCloseTo(reference.coef[j] as number, 9),
    );
  });
});

describe('@spredjs/solvers/linear', () => {
  it('loads no TensorFlow.js (what a command-line fit imports)', () => {
    const entry = new URL('../../../dist/linear.js', import.meta.url).href;
    const dir = mkdtempSync(join(tmpdir(), 'spred-linear-'));
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      "export async function resolve(s, c, next) { if (s.includes('@tensorflow')) throw new Error('loaded ' + s); return next(s, c); }\n",
    );
    const main = join(dir, 'main.mjs');
    writeFileSync(
      main,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\nawait import(${JSON.stringify(entry)});\nconsole.log('ok');\n`,
    );
    const r = spawnSync(process.execPath, [main], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/loaded @tensorflow/);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('ok');
  });
});
