import { describe, expect, it } from 'vitest';
import { heldOutObjective } from './sparse-coding-score.js';

describe('heldOutObjective', () => {
  it('matches the closed-form soft threshold on an orthonormal dictionary, whatever the atoms’ norms', () => {
    const d = 4;
    const alpha = 0.3;
    // Identity atoms, scaled: the encoder normalizes them first.
    const atoms = new Float64Array(d * d);
    for (let a = 0; a < d; a++) atoms[a * d + a] = 1 + a;
    const patches = Float64Array.of(1, -0.2, 0.5, -2, 0.1, 0.4, -0.7, 0);
    let expected = 0;
    for (const x of patches) {
      const c = Math.sign(x) * Math.max(Math.abs(x) - alpha, 0);
      expected += 0.5 * (x - c) ** 2 + alpha * Math.abs(c);
    }
    const score = heldOutObjective(atoms, d, d, patches, alpha);
    expect(score.objective).toBeCloseTo(expected / 2, 9);
    expect(score.codeSparsity).toBe(3 / 8);
    expect(score.worstRelativeGap).toBeLessThanOrEqual(1e-10);
  });
});
