import { describe, expect, it } from 'vitest';
import { applyPreprocessing, fitPreprocessing } from './preprocessing.js';

describe('preprocessing fitted on training samples', () => {
  it('log2-transforms raw values, imputes the mean and standardizes with training statistics', () => {
    // 3 samples × 2 genes of raw intensities; one missing value.
    const train = Float64Array.from([255, 1000, 1023, NaN, 4095, 3000]);
    const prep = fitPreprocessing(train, 3, 2);
    expect(prep.log2).toBe(true);
    const logs = [8, 10, 12]; // log2(x + 1)
    expect(prep.means[0]).toBeCloseTo(10, 10);
    expect(prep.stds[0]).toBeCloseTo(Math.sqrt(((8 - 10) ** 2 + 0 + (12 - 10) ** 2) / 3), 10);
    const out = applyPreprocessing(prep, train, 3, 2);
    logs.forEach((l, i) => expect(out[i * 2]).toBeCloseTo((l - 10) / (prep.stds[0] as number), 5));
    expect(out[1 * 2 + 1]).toBe(0); // imputed with the training mean
    // Test samples are transformed with the training statistics, never refitted.
    const test = applyPreprocessing(prep, Float64Array.from([1023, 1000]), 1, 2);
    expect(test[0]).toBe(out[2]);
  });

  it('leaves log-scale data alone, drops constant genes and keeps the most variable ones', () => {
    const x = Float64Array.from([
      // gene 0 constant, gene 1 small spread, gene 2 large spread, gene 3 medium
      5, 1, 0, 3, 5, 2, 10, 6, 5, 3, 20, 9,
    ]);
    const all = fitPreprocessing(x, 3, 4);
    expect(all.log2).toBe(false);
    expect(Array.from(all.features)).toEqual([1, 2, 3]);
    const top = fitPreprocessing(x, 3, 4, { topVariance: 2 });
    expect(Array.from(top.features)).toEqual([2, 3]);
  });
});
