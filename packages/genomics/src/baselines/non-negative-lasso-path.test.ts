import { describe, expect, it } from 'vitest';
import type { DesignMatrix } from '@spredjs/solvers/linear';
import { nonNegativeLassoPath } from './non-negative-lasso-path.js';

// Columns 1…6 of the 8 × 8 Sylvester–Hadamard matrix: orthogonal with ‖x_j‖² = n, so at every α
// the non-negative lasso is w_j = max(0, x_jᵀy/n − α).
const n = 8;
const d = 6;
const sign = (i: number, j: number) => {
  let bits = i & j;
  let parity = 0;
  for (; bits > 0; bits >>= 1) parity ^= bits & 1;
  return parity === 0 ? 1 : -1;
};
const x: DesignMatrix = {
  rows: n,
  cols: d,
  data: Float64Array.from({ length: n * d }, (_, e) => sign(e % n, 1 + Math.floor(e / n))),
};
const y = Float64Array.of(3, -1, 2, 0.5, -2, 1, 4, -0.5);
const correlation = Array.from(
  { length: d },
  (_, j) => y.reduce((s, v, i) => s + (x.data[j * n + i] as number) * v, 0) / n,
);

describe('the non-negative lasso path of HSIC Lasso', () => {
  it('stops at the first α_max·0.93^t with `want` positive coefficients, at their closed form', () => {
    const alphaMax = Math.max(...correlation);
    const positive = correlation.filter((c) => c > 0).length;
    expect(positive).toBeGreaterThan(2); // and some are negative: the constraint binds
    expect(correlation.some((c) => c < 0)).toBe(true);
    for (let want = 1; want <= positive; want++) {
      let t = 1;
      while (correlation.filter((c) => c > alphaMax * 0.93 ** t).length < want) t++;
      const alpha = alphaMax * 0.93 ** t;
      const expected = correlation
        .map((c, j) => ({ j, w: c - alpha }))
        .filter(({ w }) => w > 0)
        .sort((a, b) => b.w - a.w)
        .slice(0, want);
      const path = nonNegativeLassoPath(x, y, want);
      expect(path.alpha).toBeCloseTo(alpha, 12);
      expect(Array.from(path.selected)).toEqual(expected.map((e) => e.j));
      Array.from(path.weights).forEach((w, i) => expect(w).toBeCloseTo(expected[i]!.w, 8));
    }
  });

  it('never selects a feature with a negative correlation, however many are asked for', () => {
    const path = nonNegativeLassoPath(x, y, d);
    const negative = correlation.flatMap((c, j) => (c < 0 ? [j] : []));
    expect(negative.length).toBeGreaterThan(0);
    expect(Array.from(path.selected).filter((j) => negative.includes(j))).toEqual([]);
    expect(path.selected).toHaveLength(d - negative.length);
  });
});
