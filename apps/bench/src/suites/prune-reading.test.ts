import type { FrontPoint, PruneMethod } from '@spredjs/vision';
import { describe, expect, it } from 'vitest';
import { readFront } from './prune-reading.js';

/** A point of a front of 1,000 weights; `threshold` null is an unpruned row. */
function point(
  method: PruneMethod,
  kappa: number | null,
  threshold: number | 'certified' | null,
  compression: number,
  accuracy: number,
  seconds: number,
): FrontPoint {
  const kept = Math.round(1000 / compression);
  return {
    method,
    kappa,
    threshold,
    compression,
    accuracy,
    kept,
    total: 1000,
    flops: kept,
    flopCompression: compression,
    layers: [],
    seconds,
  };
}

// Two κ, targets 10× and 100×; the baselines ran with the first κ, lottery at both.
const points: FrontPoint[] = [
  point('spred', 1e-4, null, 1, 0.9, 50),
  point('magnitude', null, null, 1, 0.88, 40),
  point('random', null, null, 1, 0.88, 40),
  point('lottery', null, null, 1, 0.88, 40),
  point('spred', 1e-4, 0.01, 10, 0.89, 5),
  point('magnitude', null, 0.01, 10, 0.87, 5),
  point('random', null, 0.01, 9.93, 0.8, 9), // binomial share: just short of 10×
  point('lottery', 1e-4, 0.01, 10, 0.85, 9),
  point('spred', 1e-4, 0.05, 98.5, 0.86, 5), // the per-layer floor kept a few more
  point('magnitude', null, 0.05, 98.5, 0.7, 5),
  point('random', null, 0.05, 97, 0.6, 9),
  point('lottery', 1e-4, 0.05, 98.5, 0.75, 9),
  point('spred', 1e-3, null, 1, 0.87, 50),
  // At the larger κ spred's own zeros exceed 10×: its 10× point is at 30×.
  point('spred', 1e-3, 0.002, 30, 0.88, 5),
  point('lottery', 1e-3, 0.002, 30, 0.8, 9),
  point('spred', 1e-3, 0.03, 100, 0.84, 5),
  point('lottery', 1e-3, 0.03, 100, 0.78, 9),
];

describe('readFront', () => {
  const reading = readFront(points, [10, 100]);
  const method = (m: PruneMethod) => reading.methods.find((r) => r.method === m);

  it('reads a method at c× off its most accurate point over every κ that reaches c×', () => {
    expect(method('spred')?.at.get(10)).toMatchObject({ kappa: 1e-4, accuracy: 0.89 });
    // The 30× point of κ = 1e-3 reaches 10× but is less accurate than κ = 1e-4's 10× point.
    expect(method('spred')?.at.get(100)).toMatchObject({ kappa: 1e-4, accuracy: 0.86 });
    expect(method('lottery')?.at.get(100)).toMatchObject({ kappa: 1e-3, accuracy: 0.78 });
  });

  it('counts a point pruned for c× that landed just short of it at c×, not the next target’s point', () => {
    expect(method('random')?.at.get(10)).toMatchObject({ compression: 9.93, accuracy: 0.8 });
    expect(method('magnitude')?.at.get(100)).toMatchObject({ compression: 98.5, accuracy: 0.7 });
  });

  it('has no point at a target no run was pruned for or reached', () => {
    expect(
      readFront(points, [10, 100, 1000]).methods.every((m) => m.at.get(1000) === undefined),
    ).toBe(true);
  });

  it('counts spred’s training once per κ and the dense training for magnitude only', () => {
    expect(method('spred')?.seconds).toBe(50 + 5 + 5 + 50 + 5 + 5);
    expect(method('magnitude')?.seconds).toBe(40 + 5 + 5);
    expect(method('random')?.seconds).toBe(9 + 9);
    expect(method('lottery')?.seconds).toBe(4 * 9);
    expect(method('lottery')?.points).toBe(4);
  });

  it('reports the dense model and spred’s best unpruned model', () => {
    expect(reading.dense).toMatchObject({ method: 'magnitude', accuracy: 0.88, seconds: 40 });
    expect(method('spred')?.unpruned).toBe(0.9);
    expect(reading.methods.map((m) => m.method)).toEqual([
      'spred',
      'magnitude',
      'random',
      'lottery',
    ]);
  });

  it('reads a certified point at its own compression, and the thresholded points still by target', () => {
    // the certified point comes first at each κ; it must not shift which point is which target's
    const withCertified = [
      ...points.slice(0, 4),
      point('spred', 1e-4, 'certified', 4, 0.895, 5),
      point('magnitude', null, 'certified', 4, 0.875, 5),
      ...points.slice(4),
    ];
    const read = readFront(withCertified, [10, 100]);
    const spred = read.methods.find((r) => r.method === 'spred');
    // the 98.5× point still counts for 100× (its target), and the 4× certified point for neither
    expect(spred?.at.get(100)).toMatchObject({ threshold: 0.05, accuracy: 0.86 });
    expect(spred?.at.get(10)).toMatchObject({ threshold: 0.01, accuracy: 0.89 });
    expect(spred?.points).toBe(5);
  });
});
