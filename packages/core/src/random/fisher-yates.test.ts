import { describe, expect, it } from 'vitest';
import { fisherYates } from './fisher-yates.js';
import { mulberry32 } from './mulberry32.js';

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('fisherYates', () => {
  it('swaps each position from the last down with the drawn one at or before it', () => {
    // Every draw 0: position i swaps with 0, so [0 1 2 3] → [3 1 2 0] → [2 1 3 0] → [1 2 3 0].
    expect(Array.from(fisherYates(range(4), () => 0))).toEqual([1, 2, 3, 0]);
    // Every draw just below 1: position i swaps with itself.
    expect(Array.from(fisherYates(range(4), () => 1 - 2 ** -32))).toEqual([0, 1, 2, 3]);
  });

  it('returns a permutation of its input, in place, with length − 1 draws', () => {
    let drawsUsed = 0;
    const uniform = mulberry32(9);
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const out = fisherYates(items, () => (drawsUsed++, uniform()));
    expect(out).toBe(items);
    expect([...out].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(drawsUsed).toBe(6);
    const big = fisherYates(range(1000), mulberry32(1));
    expect(Array.from(big).sort((x, y) => x - y)).toEqual(Array.from(range(1000)));
    expect(Array.from(big)).not.toEqual(Array.from(range(1000)));
  });

  it('gives the same order for the same seed and each of the 3! orders equally often', () => {
    expect(fisherYates(range(50), mulberry32(4))).toEqual(fisherYates(range(50), mulberry32(4)));
    const uniform = mulberry32(77);
    const counts = new Map<string, number>();
    const trials = 60_000;
    for (let t = 0; t < trials; t++) {
      const key = fisherYates([0, 1, 2], uniform).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // Each share's standard error is 0.0015.
    for (const c of counts.values()) expect(Math.abs(c / trials - 1 / 6)).toBeLessThan(0.01);
  });
});
