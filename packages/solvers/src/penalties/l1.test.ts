import { describe, expect, it } from 'vitest';
import { l1Penalty, softThreshold } from './l1.js';

/** ½‖w − v‖² + step·Ω(w): the objective a prox minimizes. */
const proxObjective = (w: Float64Array, v: Float64Array, step: number, omega: number) =>
  0.5 * w.reduce((s, x, i) => s + (x - (v[i] as number)) ** 2, 0) + step * omega;

describe('softThreshold', () => {
  it('is S(v, t) = sign(v)·max(|v| − t, 0)', () => {
    expect(softThreshold(3, 1)).toBe(2);
    expect(softThreshold(-3, 1)).toBe(-2);
    expect(softThreshold(0.5, 1)).toBe(0);
    expect(softThreshold(-1, 1)).toBe(0);
    expect(softThreshold(-0.25, 0)).toBe(-0.25);
  });
});

describe('l1Penalty', () => {
  // d = 2 features × k = 2 outputs, weights ω = (1, 2), α = ½, step 2: thresholds 1 (row 0), 2 (row 1).
  const penalty = l1Penalty(0.5, [1, 2]);
  const v = Float64Array.of(3, -0.5, -2.5, 0.1);

  it('has the value α Σ_j ω_j Σ_c |W_jc|', () => {
    expect(penalty.value(v, 2, 2)).toBeCloseTo(0.5 * (3 + 0.5 + 2 * (2.5 + 0.1)), 14);
  });

  it('proxes by soft thresholding each entry at step·α·ω_j', () => {
    const w = penalty.prox!(v, 2, 2, 2);
    expect(Array.from(w)).toEqual([2, 0, -0.5, 0]);
    // And it is the minimizer: no coordinate move of ±10⁻³ lowers ½‖w − v‖² + step·Ω(w).
    const best = proxObjective(w, v, 2, penalty.value(w, 2, 2));
    for (let i = 0; i < w.length; i++)
      for (const h of [-1e-3, 1e-3]) {
        const moved = Float64Array.from(w);
        moved[i] = (moved[i] as number) + h;
        expect(proxObjective(moved, v, 2, penalty.value(moved, 2, 2))).toBeGreaterThan(best);
      }
  });

  it('scales the dual point to s = min(1, nα / max_j ‖G_j‖_∞/ω_j), with no conjugate term', () => {
    const g = Float64Array.of(4, -1, 0.5, -6); // max over rows of ‖G_j‖_∞/ω_j: max(4/1, 6/2) = 4
    expect(l1Penalty(0.2, [1, 2]).dual(g, 10, 2, 2)).toEqual({ scale: 0.5, conjugate: 0 });
    expect(l1Penalty(1, [1, 2]).dual(g, 10, 2, 2)).toEqual({ scale: 1, conjugate: 0 });
    expect(l1Penalty(0.2).dual(new Float64Array(4), 10, 2, 2).scale).toBe(1);
  });

  it('rejects a negative alpha and a non-positive weight, saying what came', () => {
    expect(() => l1Penalty(-1)).toThrow('alpha must be positive and finite, got -1');
    expect(() => l1Penalty(0)).toThrow('alpha must be positive and finite, got 0');
    expect(() => l1Penalty(1, [1, 0]).value(v, 2, 2)).toThrow(
      'weights[1] must be positive and finite, got 0',
    );
  });
});
