import { describe, expect, it } from 'vitest';
import { stratifiedSplits } from './stratified-splits.js';

describe('stratified train/dev/test splits', () => {
  const labels = Int32Array.from({ length: 50 }, (_, i) => (i < 35 ? 0 : 1)); // 35 / 15

  it('are disjoint, cover every sample, keep class proportions and follow the seed', () => {
    const splits = stratifiedSplits(labels, { repeats: 5, seed: 3 });
    expect(splits).toHaveLength(5);
    for (const { train, dev, test } of splits) {
      const all = [...train, ...dev, ...test].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i));
      const ones = (idx: Int32Array) => Array.from(idx).filter((i) => labels[i] === 1).length;
      expect([ones(train), ones(dev), ones(test)]).toEqual([9, 3, 3]);
      expect([train.length, dev.length, test.length]).toEqual([30, 10, 10]);
    }
    expect(splits[0]?.test).not.toEqual(splits[1]?.test);
    expect(stratifiedSplits(labels, { repeats: 5, seed: 3 })).toEqual(splits);
    expect(stratifiedSplits(labels, { repeats: 5, seed: 4 })[0]?.test).not.toEqual(splits[0]?.test);
  });

  it('rejects classes too small to split and fractions that do not sum to 1', () => {
    expect(() => stratifiedSplits(Int32Array.from([0, 0, 0, 1, 1]))).toThrow(
      /class 1 has 2 sample/,
    );
    expect(() => stratifiedSplits(labels, { fractions: [0.5, 0.2, 0.2] })).toThrow(/sum to 1/);
  });
});
