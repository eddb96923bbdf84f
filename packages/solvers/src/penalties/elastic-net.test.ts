import { describe, expect, it } from 'vitest';
import { elasticNetPenalty } from './elastic-net.js';
import { l1Penalty } from './l1.js';

describe('elasticNetPenalty', () => {
  // α = 1, ρ = ½: Ω(w) = ½|w| + ¼w².
  const penalty = elasticNetPenalty(1, 0.5);

  it('has the value α(ρ‖W‖₁ + (1 − ρ)/2 ‖W‖²)', () => {
    expect(penalty.value(Float64Array.of(2, -1), 2, 1)).toBeCloseTo(0.5 * 3 + 0.25 * 5, 14);
  });

  it('proxes by S(v, step·αρ) / (1 + step·α(1 − ρ))', () => {
    const w = penalty.prox!(Float64Array.of(3, -0.2, -1), 1, 3, 1);
    expect(w[0]).toBeCloseTo(2.5 / 1.5, 14);
    expect(w[1]).toBe(0);
    expect(w[2]).toBeCloseTo(-0.5 / 1.5, 14);
  });

  it('has the Fenchel conjugate Σ (|G/n| − αρ)₊² / (2α(1 − ρ)) as its dual term', () => {
    const g = Float64Array.of(20, -5, 2);
    const n = 10;
    const { scale, conjugate } = penalty.dual(g, n, 3, 1);
    expect(scale).toBe(1);
    expect(conjugate).toBeCloseTo(1.5 ** 2 / (2 * 0.5), 14);
    // Independently: Ω*(z) = sup_w zw − Ω(w), by a fine grid over w.
    let numeric = 0;
    for (const x of g) {
      const z = x / n;
      let sup = -Infinity;
      for (let w = -10; w <= 10; w += 1e-4)
        sup = Math.max(sup, z * w - 0.5 * Math.abs(w) - 0.25 * w * w);
      numeric += sup;
    }
    expect(conjugate).toBeCloseTo(numeric, 6);
  });

  it('is the lasso at ρ = 1 and refuses ρ = 0 and ρ outside [0, 1]', () => {
    const v = Float64Array.of(1.5, -0.3, 0.8);
    expect(elasticNetPenalty(0.4, 1).prox!(v, 2, 3, 1)).toEqual(l1Penalty(0.4).prox!(v, 2, 3, 1));
    expect(() => elasticNetPenalty(1, 0)).toThrow('l1Ratio = 0 is ridge regression');
    expect(() => elasticNetPenalty(1, 1.5)).toThrow('l1Ratio must be in [0, 1], got 1.5');
  });
});
