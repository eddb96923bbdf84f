import { describe, expect, it } from 'vitest';
import { GroupLasso, MultiTaskLasso } from './regressors.js';
import { SparseLogisticRegression } from './sparse-logistic-regression.js';
import { gaussian, sparseRegression } from '../testing/synthetic.js';

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const support = (rows: number[][]) => rows.map((r) => r.some((v) => v !== 0));

describe('GroupLasso: spred against block coordinate descent and FISTA', () => {
  it('same objective, same selected groups, gap ≤ tol', () => {
    const { x, y } = sparseRegression(120, 40, 6, 0.3, 8);
    const groups = Array.from({ length: 40 }, (_, j) => Math.floor(j / 4));
    const [cd, fista, spred] = (['cd', 'fista', 'spred'] as const).map((solver) =>
      new GroupLasso({ alpha: 0.08, groups, solver, tol: solver === 'spred' ? 1e-6 : 1e-10 }).fit(
        x,
        y,
      ),
    ) as [GroupLasso, GroupLasso, GroupLasso];
    expect(relative(fista.objective, cd.objective)).toBeLessThan(1e-8);
    expect(relative(spred.objective, cd.objective)).toBeLessThan(1e-6);
    expect(support(spred.coefMatrix)).toEqual(support(cd.coefMatrix));
    // whole groups in or out
    for (let g = 0; g < 10; g++) {
      const members = spred.coef.slice(4 * g, 4 * g + 4).map((v) => v !== 0);
      expect(new Set(members).size).toBe(1);
    }
    expect(cd.nnz).toBeGreaterThan(0);
    expect(cd.nnz).toBeLessThan(40);
    expect(spred.converged).toBe(true);
  });
});

describe('MultiTaskLasso: L2,1 over the rows of W', () => {
  it('spred matches block coordinate descent; a feature is used by all tasks or none', () => {
    const draw = gaussian(9);
    const n = 80;
    const d = 30;
    const x = Array.from({ length: n }, () => Array.from({ length: d }, draw));
    const w = Array.from({ length: d }, (_, j) => (j < 4 ? [1, -1, 0.5] : [0, 0, 0]));
    const y = x.map((row) =>
      [0, 1, 2].map((c) => row.reduce((s, v, j) => s + v * (w[j]![c] as number), 0) + 0.2 * draw()),
    );
    const cd = new MultiTaskLasso({ alpha: 0.1, solver: 'cd', tol: 1e-10 }).fit(x, y);
    const spred = new MultiTaskLasso({ alpha: 0.1, solver: 'spred' }).fit(x, y);
    expect(relative(spred.objective, cd.objective)).toBeLessThan(1e-6);
    expect(support(spred.coefMatrix)).toEqual(support(cd.coefMatrix));
    expect(support(cd.coefMatrix).slice(0, 4)).toEqual([true, true, true, true]);
    expect(
      spred.coefMatrix.every((row) => row.every((v) => v !== 0) || row.every((v) => v === 0)),
    ).toBe(true);
    expect((spred.predict(x) as number[][])[0]).toHaveLength(3);
  });
});

/** Labels from a sparse linear model through softmax (k classes) — seeded. */
function classification(n: number, d: number, k: number, seed: number) {
  const draw = gaussian(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: d }, draw));
  const labels = x.map((row) => {
    const scores = Array.from(
      { length: k },
      (_, c) => 2 * (row[c] as number) - (row[(c + 1) % d] as number) + 0.5 * draw(),
    );
    return ['a', 'b', 'c', 'd'][scores.indexOf(Math.max(...scores))] as string;
  });
  return { x, labels };
}

describe('SparseLogisticRegression', () => {
  it('binary, L1: spred matches FISTA (objective 1e-6, same support) and classifies', () => {
    const { x, labels } = classification(150, 25, 2, 10);
    const fista = new SparseLogisticRegression({ alpha: 0.02, solver: 'fista', tol: 1e-10 }).fit(
      x,
      labels,
    );
    const spred = new SparseLogisticRegression({ alpha: 0.02 }).fit(x, labels);
    expect(spred.classes).toEqual(['a', 'b']);
    expect(relative(spred.objective, fista.objective)).toBeLessThan(1e-6);
    expect(support(spred.coefMatrix)).toEqual(support(fista.coefMatrix));
    // Certified: gap ≤ tol·P(0), and P(0) (the entropy of the labels) ≤ log 2 (tol 1e-6).
    expect(spred.converged).toBe(true);
    expect(spred.dualityGap).toBeLessThan(1e-6 * Math.LN2);
    expect(spred.score(x, labels)).toBeGreaterThan(0.85);
    const p = spred.predictProba(x);
    expect(p[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('multinomial with L1 and with rows (one gene for all classes): spred matches FISTA', () => {
    const { x, labels } = classification(150, 20, 3, 11);
    for (const penalty of ['l1', 'rows'] as const) {
      const fista = new SparseLogisticRegression({
        alpha: 0.02,
        penalty,
        solver: 'fista',
        tol: 1e-10,
      }).fit(x, labels);
      const spred = new SparseLogisticRegression({ alpha: 0.02, penalty }).fit(x, labels);
      expect(relative(spred.objective, fista.objective)).toBeLessThan(1e-6);
      expect(support(spred.coefMatrix)).toEqual(support(fista.coefMatrix));
      expect(spred.coefMatrix[0]).toHaveLength(3);
      expect(spred.score(x, labels)).toBeGreaterThan(0.8);
    }
  });

  it('rejects a single class and label/row mismatches', () => {
    const { x } = classification(10, 3, 2, 12);
    expect(() =>
      new SparseLogisticRegression({ alpha: 0.1 }).fit(x, new Array(10).fill('a')),
    ).toThrow(/y has a single class \(a\)/);
    expect(() => new SparseLogisticRegression({ alpha: 0.1 }).fit(x, ['a', 'b'])).toThrow(
      /X has 10 rows but y has 2 labels/,
    );
    expect(() =>
      new SparseLogisticRegression({ alpha: 0.1, solver: 'cd' as 'fista' }).fit(
        x,
        x.map((_, i) => i % 2),
      ),
    ).toThrow(/solver 'cd' handles squared loss only/);
  });
});
