import { describe, expect, it } from 'vitest';
import { groupL1Penalty } from './group-l1.js';

describe('groupL1Penalty', () => {
  // Features 0 and 1 in group 0, feature 2 alone: default weights ω = (√2, 1).
  const penalty = groupL1Penalty(1, [0, 0, 1]);

  it('has the value α Σ_g ω_g ‖W_g‖ with ω_g = √|g| by default', () => {
    expect(penalty.value(Float64Array.of(3, 4, -0.5), 3, 1)).toBeCloseTo(Math.SQRT2 * 5 + 0.5, 14);
  });

  it('proxes by the block soft threshold (1 − step·α·ω_g/‖v_g‖)₊ v_g', () => {
    const w = penalty.prox!(Float64Array.of(3, 4, 0.5), 1, 3, 1);
    const factor = 1 - Math.SQRT2 / 5;
    expect(w[0]).toBeCloseTo(3 * factor, 14);
    expect(w[1]).toBeCloseTo(4 * factor, 14);
    expect(w[2]).toBe(0); // |0.5| ≤ 1: the whole group leaves
  });

  it('treats a feature’s k outputs as one block (the multi-task L2,1 norm)', () => {
    const rows = groupL1Penalty(1, [0, 1], [1, 1]);
    expect(rows.name).toBe('l21');
    const w = rows.prox!(Float64Array.of(3, 4, 0.3, -0.4), 2, 2, 2);
    expect(Array.from(w).map((x) => Number(x.toFixed(12)))).toEqual([1.8, 2.4, 0, 0]);
  });

  it('scales the dual point to s = min(1, nα / max_g ‖G_g‖/ω_g)', () => {
    const g = Float64Array.of(3, 4, -2); // ‖G_0‖/ω_0 = 5/√2 > ‖G_1‖/ω_1 = 2
    const { scale, conjugate } = groupL1Penalty(0.5, [0, 0, 1]).dual(g, 4, 3, 1);
    expect(scale).toBeCloseTo((4 * 0.5 * Math.SQRT2) / 5, 14);
    expect(conjugate).toBe(0);
  });

  it('names the empty group and the mismatched feature count', () => {
    expect(() => groupL1Penalty(1, [0, 2])).toThrow('group 1 has no features');
    expect(() => penalty.value(new Float64Array(4), 4, 1)).toThrow(
      'groups has 3 entries but X has 4 features',
    );
  });
});
