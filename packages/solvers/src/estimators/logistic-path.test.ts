import { describe, expect, it } from 'vitest';
import { gaussian } from '../testing/synthetic.js';
import { logisticAlphaMax, logisticPath, logisticPathProba } from './logistic-path.js';
import { SparseLogisticRegression } from './sparse-logistic-regression.js';

/** X n × d Gaussian; labels from softmax scores on the first features (k classes) — seeded. */
function planted(n: number, d: number, k: number, seed: number) {
  const draw = gaussian(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: d }, draw));
  const labels = x.map((row) => {
    const scores = Array.from(
      { length: k === 2 ? 1 : k },
      (_, c) => 1.5 * (row[c] as number) - (row[c + 3] as number) + 0.7 * draw(),
    );
    if (k === 2) return (scores[0] as number) > 0 ? 'up' : 'down';
    return ['a', 'b', 'c', 'd'][scores.indexOf(Math.max(...scores))] as string;
  });
  return { x, labels };
}

/** G = Xᵀ(Y − π)/n by hand: one column for two classes (Y = 1 for the later class), else one-hot. */
function gradientAtZero(x: number[][], labels: string[]): number[][] {
  const classes = [...new Set(labels)].sort();
  const columns = classes.length === 2 ? [classes[1] as string] : classes;
  const n = x.length;
  return (x[0] as number[]).map((_, j) =>
    columns.map((c) => {
      const pi = labels.filter((l) => l === c).length / n;
      return (
        x.reduce((s, row, i) => s + (row[j] as number) * ((labels[i] === c ? 1 : 0) - pi), 0) / n
      );
    }),
  );
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const support = (coefs: readonly number[], k: number) =>
  Array.from({ length: coefs.length / k }, (_, j) =>
    coefs.slice(j * k, j * k + k).some((v) => v !== 0),
  );

describe('logisticAlphaMax', () => {
  it('is the closed form max |Xᵀ(Y − π)/n| (L1) and max_j ‖G_j‖₂ (rows), binary and 3 classes', () => {
    for (const k of [2, 3]) {
      const { x, labels } = planted(60, 12, k, 20 + k);
      const g = gradientAtZero(x, labels);
      const l1 = Math.max(...g.flat().map(Math.abs));
      const rows = Math.max(...g.map((r) => Math.hypot(...r)));
      expect(relative(logisticAlphaMax(x, labels), l1)).toBeLessThan(1e-12);
      expect(relative(logisticAlphaMax(x, labels, { penalty: 'rows' }), rows)).toBeLessThan(1e-12);
    }
  });

  it('at α_max the fit is W = 0, at 0.99·α_max it is not (FISTA and spred, cold)', () => {
    for (const k of [2, 3]) {
      const { x, labels } = planted(60, 12, k, 30 + k);
      const top = logisticAlphaMax(x, labels);
      for (const solver of ['fista', 'spred'] as const) {
        const fit = (alpha: number) =>
          new SparseLogisticRegression({ alpha, solver, tol: 1e-10 }).fit(x, labels);
        const name = `${solver}, ${k} classes`;
        // Exactly on the KKT boundary a FISTA step may leave a rounding-sized coefficient (~1e-17).
        const at = fit(top);
        expect(Math.max(...at.coefMatrix.flat().map(Math.abs)), name).toBeLessThan(1e-14);
        expect(fit(top * (1 + 1e-12)).nnz, name).toBe(0);
        expect(fit(0.99 * top).nnz, name).toBeGreaterThan(0);
      }
    }
  });

  it("the path's first point is W = 0 with the log-odds of the classes: it predicts their frequencies", () => {
    for (const k of [2, 3]) {
      const { x, labels } = planted(60, 12, k, 40 + k);
      const path = logisticPath(x, labels, { nAlphas: 3 });
      expect(path.alphas[0]).toBe(path.alphaMax);
      expect(path.coefs[0]?.every((v) => v === 0)).toBe(true);
      expect(path.nnz[0]).toBe(0);
      const frequencies = path.classes.map((c) => labels.filter((l) => l === c).length / 60);
      for (const row of logisticPathProba(path, 0, x))
        row.forEach((p, c) => expect(p).toBeCloseTo(frequencies[c] as number, 12));
      // The objective there is the entropy of the labels.
      const entropy = -frequencies.reduce((s, p) => s + p * Math.log(p), 0);
      expect(relative(path.objectives[0] as number, entropy)).toBeLessThan(1e-12);
    }
  });
});

describe('logisticPath', () => {
  it('the warm path agrees with cold SparseLogisticRegression fits at every α: objective 1e-9, same support', () => {
    const cases = [
      { k: 2, penalty: 'l1' },
      { k: 3, penalty: 'l1' },
      { k: 3, penalty: 'rows' },
    ] as const;
    for (const { k, penalty } of cases) {
      const { x, labels } = planted(80, 20, k, 50 + k);
      const path = logisticPath(x, labels, { nAlphas: 6, eps: 0.05, penalty, tol: 1e-11 });
      const kk = k === 2 ? 1 : k;
      expect(path.alphas).toHaveLength(6);
      path.alphas.forEach((alpha, i) => {
        const cold = new SparseLogisticRegression({ alpha, penalty, tol: 1e-11 }).fit(x, labels);
        const name = `${k} classes, ${penalty}, α[${i}]`;
        expect(relative(path.objectives[i] as number, cold.objective), name).toBeLessThan(1e-9);
        expect(support(path.coefs[i] as number[], kk), name).toEqual(
          cold.coefMatrix.map((r) => r.some((v) => v !== 0)),
        );
        // Same model, same predictions: the intercept convention is the solver's.
        const mine = logisticPathProba(path, i, x);
        cold
          .predictProba(x)
          .forEach((row, s) =>
            row.forEach((p, c) =>
              expect(Math.abs(p - (mine[s]?.[c] as number))).toBeLessThan(1e-4),
            ),
          );
      });
      expect(path.nnz.at(-1)).toBeGreaterThan(0);
    }
  });

  it('certifies every point: duality gap ≤ tol × objective at W = 0, support growing along the path', () => {
    const { x, labels } = planted(100, 30, 3, 61);
    for (const tol of [1e-6, 1e-9]) {
      const path = logisticPath(x, labels, { tol });
      expect(path.alphas).toHaveLength(10);
      expect(relative(path.alphas.at(-1) as number, 1e-2 * path.alphaMax)).toBeLessThan(1e-12);
      const zero = path.objectives[0] as number; // W = 0 at α_max
      expect(path.converged.every(Boolean)).toBe(true);
      path.gaps.forEach((gap) => expect(gap).toBeLessThanOrEqual(tol * zero));
      for (let i = 1; i < path.nnz.length; i++)
        expect(path.nnz[i]).toBeGreaterThanOrEqual(path.nnz[i - 1] as number);
      expect(path.nnz.at(-1)).toBeGreaterThan(3);
      expect(path.coefs[0]).toHaveLength(30 * 3);
      expect(path.intercepts[0]).toHaveLength(3);
    }
  });

  it('takes explicit alphas (largest first), reports progress and stops on its signal', () => {
    const { x, labels } = planted(60, 10, 2, 70);
    const top = logisticAlphaMax(x, labels);
    const seen: number[] = [];
    const path = logisticPath(x, labels, {
      alphas: [0.1 * top, 2 * top, 0.5 * top],
      onAlpha: (i, total) => seen.push(i / total),
    });
    expect(path.alphas).toEqual([2 * top, 0.5 * top, 0.1 * top]);
    expect(path.nnz[0]).toBe(0);
    expect(seen).toEqual([1 / 3, 2 / 3, 1]);
    const controller = new AbortController();
    const stopped = logisticPath(x, labels, {
      onAlpha: (i) => {
        if (i === 4) controller.abort();
      },
      signal: controller.signal,
    });
    expect(stopped.alphas).toHaveLength(4);
    expect(stopped.coefs).toHaveLength(4);
  });

  it('gives the existing one-line errors for bad options and input', () => {
    const { x, labels } = planted(20, 4, 2, 80);
    const cases: [() => unknown, string | RegExp][] = [
      [() => logisticPath(x, labels, { eps: 0 }), 'eps must be in (0, 1), got 0'],
      [() => logisticPath(x, labels, { eps: 1 }), 'eps must be in (0, 1), got 1'],
      [
        () => logisticPath(x, labels, { nAlphas: 2.5 }),
        'nAlphas must be a positive integer, got 2.5',
      ],
      [() => logisticPath(x, labels, { nAlphas: 0 }), 'nAlphas must be a positive integer, got 0'],
      [
        () => logisticPath(x, labels, { alphas: [0.1, -1] }),
        'alphas[1] must be positive and finite, got -1',
      ],
      [
        () => logisticPath(x, labels, { solver: 'cd' as 'fista' }),
        /solver 'cd' handles squared loss only/,
      ],
      [
        () => logisticPath(x, labels, { penalty: 'elasticnet' as 'l1' }),
        "unknown penalty 'elasticnet': expected l1, rows or group",
      ],
      [() => logisticPath(x, ['a', 'b']), 'X has 20 rows but y has 2 labels'],
      [() => logisticPath(x, new Array<string>(20).fill('a')), /y has a single class \(a\)/],
      [
        () =>
          logisticPath(
            x.map(() => [1, 2]),
            labels,
          ),
        /α_max is 0: no feature is correlated with the labels/,
      ],
    ];
    for (const [run, message] of cases) expect(run).toThrow(message);
    const path = logisticPath(x, labels, { nAlphas: 2 });
    expect(() => logisticPathProba(path, 2, x)).toThrow(
      "index must be an integer from 0 to 1 (the path's points), got 2",
    );
    expect(() => logisticPathProba(path, 0, [[1, 2]])).toThrow(
      'X has 2 features but the path was fitted with 4',
    );
  });
});
