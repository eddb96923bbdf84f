import { describe, expect, it } from 'vitest';
import { chooseCandidate } from './choose-candidate.js';

const point = (devAccuracy: number, genes: number, devLoss = 0.5) => ({
  devAccuracy,
  devLoss,
  genes: Array.from({ length: genes }, (_, i) => i),
});

describe("choosing a grid point on dev (glmnet's lambda.1se)", () => {
  // n_dev = 25, best p = 0.8: se = √(0.8·0.2/25) = 0.08, so 0.72 and up are within one se.
  const path = [point(0.6, 2), point(0.72, 5), point(0.76, 9), point(0.8, 30), point(0.8, 60, 0.4)];

  it('takes the sparsest point within one binomial standard error of the best', () => {
    expect(chooseCandidate(path, 25, 'one-se')).toBe(1);
    // With 100 dev samples se = 0.04: 0.76 is the sparsest within it.
    expect(chooseCandidate(path, 100, 'one-se')).toBe(2);
  });

  it("'best' takes the best dev accuracy, ties broken by the lower dev cross-entropy", () => {
    expect(chooseCandidate(path, 25, 'best')).toBe(4);
  });

  it('at a perfect best (se = 0) only points as accurate count; among equal sizes the better wins', () => {
    const perfect = [point(0.9, 3), point(1, 12, 0.3), point(1, 8, 0.2), point(1, 8, 0.1)];
    expect(chooseCandidate(perfect, 10, 'one-se')).toBe(3);
  });

  it('counts a point without a gene list as using every gene', () => {
    const mixed = [{ devAccuracy: 0.8, devLoss: 0.1 }, point(0.79, 40)];
    expect(chooseCandidate(mixed, 25, 'one-se')).toBe(1);
    expect(() => chooseCandidate([], 10, 'one-se')).toThrow(/at least one candidate/);
  });
});
