import { describe, expect, it } from 'vitest';
import { scoreProbabilities } from './score-probabilities.js';

describe('scoring class probabilities', () => {
  it('is the arg-max accuracy and the mean cross-entropy, ties to the lower class, p floored at 1e-12', () => {
    const p = [0.9, 0.1, 0.5, 0.5, 0, 1];
    const { accuracy, loss } = scoreProbabilities(p, Int32Array.of(0, 1, 0), 2);
    expect(accuracy).toBeCloseTo(1 / 3, 15); // the tie (0.5, 0.5) goes to class 0
    expect(loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.5) + Math.log(1e-12)) / 3, 12);
    expect(scoreProbabilities([], new Int32Array(0), 2)).toEqual({ accuracy: 0, loss: 0 });
  });
});
