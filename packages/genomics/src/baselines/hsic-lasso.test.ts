import { describe, expect, it } from 'vitest';
import { xorLikeGenes } from '../testing/synthetic-genes.js';
import { hsicLasso } from './hsic-lasso.js';

describe('HSIC Lasso', () => {
  it('selects the genes with a nonlinear dependence on the label, and only those first', () => {
    const { values, labels } = xorLikeGenes(120, 300, 5, 11);
    const result = hsicLasso(values, 120, 300, labels, { features: 5, seed: 1 });
    expect(Array.from(result.selected).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(result.weights).every((w) => w > 0)).toBe(true);
    for (let i = 1; i < result.weights.length; i++)
      expect(result.weights[i]).toBeLessThanOrEqual(result.weights[i - 1] as number);
  });

  it('rejects inconsistent shapes', () => {
    expect(() => hsicLasso(new Float32Array(10), 3, 3, new Int32Array(3), { features: 1 })).toThrow(
      /expected 3×3 values/,
    );
  });
});
