import { describe, expect, it } from 'vitest';
import { sparseGaussianProblem, supportF1 } from './sparse-gaussian.js';

describe('benchmark problems', () => {
  it('are seeded and have the asked number of true nonzeros', () => {
    const a = sparseGaussianProblem(20, 50, 5, 0.1, 3);
    const b = sparseGaussianProblem(20, 50, 5, 0.1, 3);
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.truth).filter((v) => v !== 0)).toHaveLength(5);
    expect(a.x.data).toHaveLength(20 * 50);
  });

  it('support F1 is 1 for equal supports and drops with misses and false picks', () => {
    expect(supportF1([1, 0, 2], [3, 0, 1])).toBe(1);
    expect(supportF1([1, 1, 0], [1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(supportF1([0, 0], [0, 0])).toBe(1);
  });
});
