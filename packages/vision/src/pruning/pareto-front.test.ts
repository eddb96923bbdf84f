import { describe, expect, it } from 'vitest';
import { frontsByMethod, paretoFront } from './pareto-front.js';

const point = (compression: number, accuracy: number, method = 'spred') => ({
  method,
  compression,
  accuracy,
});

describe('paretoFront (non-dominated accuracy–compression points)', () => {
  it('removes every dominated point and sorts the rest by compression', () => {
    const a = point(100, 0.7);
    const b = point(1, 0.95);
    const c = point(10, 0.9);
    const d1 = point(5, 0.85);
    const d2 = point(50, 0.7);
    const d3 = point(2, 0.9);
    const d4 = point(1, 0.5);
    expect(paretoFront([a, d1, b, d2, c, d3, d4])).toEqual([b, c, a]);
  });

  it('keeps a point that is beaten on one axis only, and drops one tied on one axis and beaten on the other', () => {
    const front = paretoFront([point(10, 0.8), point(10, 0.9), point(20, 0.9), point(30, 0.6)]);
    expect(front.map((p) => [p.compression, p.accuracy])).toEqual([
      [20, 0.9],
      [30, 0.6],
    ]);
  });

  it('keeps the first of exact duplicates, and the very points given', () => {
    const first = point(10, 0.9, 'first');
    const second = point(10, 0.9, 'second');
    const front = paretoFront([first, second]);
    expect(front).toHaveLength(1);
    expect(front[0]).toBe(first);
  });

  it('handles the empty list, an infinite compression and NaN accuracies', () => {
    expect(paretoFront([])).toEqual([]);
    const empty = point(Infinity, 0.25);
    expect(paretoFront([point(1, 0.9), empty, point(Infinity, 0.1), point(5, NaN)])).toEqual([
      point(1, 0.9),
      empty,
    ]);
  });
});

describe('frontsByMethod', () => {
  it('takes each method’s front over its own points only', () => {
    const points = [
      point(10, 0.9, 'spred'),
      point(10, 0.5, 'random'),
      point(20, 0.8, 'spred'),
      point(5, 0.6, 'random'),
      point(5, 0.85, 'spred'),
    ];
    const fronts = frontsByMethod(points);
    expect(Object.keys(fronts)).toEqual(['spred', 'random']);
    expect(fronts.spred?.map((p) => p.compression)).toEqual([10, 20]);
    // random's 10× point stays: spred's better points do not dominate another method's.
    expect(fronts.random?.map((p) => p.compression)).toEqual([5, 10]);
  });
});
