import { describe, expect, it } from 'vitest';
import { mulberry32 } from './mulberry32.js';

const draws = (seed: number, count: number) => Array.from({ length: count }, mulberry32(seed));

describe('mulberry32', () => {
  it('gives the known sequence of each seed, as integers on the 2⁻³² grid', () => {
    // The sequences spred's shuffles, splits and synthetic data have always been drawn from.
    expect(draws(42, 3).map((u) => u * 2 ** 32)).toEqual([2581720956, 1925393290, 3661312704]);
    expect(draws(0, 3).map((u) => u * 2 ** 32)).toEqual([1144304738, 1416247, 958946056]);
  });

  it('gives the same sequence for the same seed and reads the seed modulo 2³²', () => {
    expect(draws(7, 50)).toEqual(draws(7, 50));
    expect(draws(2 ** 32 + 7, 50)).toEqual(draws(7, 50));
    expect(draws(8, 50)).not.toEqual(draws(7, 50));
  });

  it('is uniform on [0, 1): mean ½, variance 1/12, ten equal bins equally filled', () => {
    const n = 100_000;
    const u = draws(123, n);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((s, v) => s + v, 0) / n;
    const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    // Standard errors: 0.0009 for the mean, 0.0003 for the variance.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    const bins = new Array<number>(10).fill(0);
    for (const v of u) bins[Math.floor(v * 10)]! += 1;
    const chiSquare = bins.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chiSquare).toBeLessThan(27.9); // the 99.9 % quantile of χ² with 9 degrees of freedom
  });
});
