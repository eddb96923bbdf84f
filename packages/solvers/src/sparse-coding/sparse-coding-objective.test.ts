import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  gramSparseCodingObjective,
  lassoZeros,
  certifiedLassoCodes,
  residualEnergy,
  sparseCodingObjective,
} from './sparse-coding-objective.js';

/** B = [[1, 0], [0, 2], [1, 1]] (d = 3, k = 2); patches x₁ = (1, 2, 3), x₂ = (0, 0, 1); codes s₁ = (1, 1), s₂ = (0, −1). */
function twoPatches() {
  return {
    dictionary: tf.tensor2d([
      [1, 0],
      [0, 2],
      [1, 1],
    ]),
    x: tf.tensor2d([
      [1, 2, 3],
      [0, 0, 1],
    ]),
    codes: tf.tensor2d([
      [1, 1],
      [0, -1],
    ]),
  };
}

describe('sparse-coding objective', () => {
  it('is ½‖x − Bs‖² summed over patches plus the penalty, by hand on two patches', () => {
    const { dictionary, x, codes } = twoPatches();
    // B s₁ = (1, 2, 2): residual (0, 0, 1) → 1. B s₂ = (0, −2, −1): residual (0, 2, 2) → 8.
    expect(Array.from(residualEnergy(x, codes, dictionary).dataSync())).toEqual([1, 8]);
    const l1 = tf.scalar(0.5 * 3); // α‖S‖₁ with α = 0.5
    const value = sparseCodingObjective(x, codes, dictionary, l1);
    expect(value.dataSync()[0]).toBe(0.5 * (1 + 8) + 1.5);
    tf.dispose([dictionary, x, codes, l1, value]);
  });
});

describe('sparse-coding objective through the Gram matrix', () => {
  it('equals the direct objective, value and gradient in the codes', () => {
    const { dictionary, x, codes } = twoPatches();
    const l1 = tf.scalar(1.5);
    const gram = tf.matMul(dictionary, dictionary, true, false) as tf.Tensor2D;
    const correlations = tf.matMul(x, dictionary) as tf.Tensor2D;
    const energy = tf.scalar(1 + 4 + 9 + 1);
    const viaGram = gramSparseCodingObjective(gram, correlations, energy, codes, l1);
    expect(viaGram.dataSync()[0]).toBeCloseTo(0.5 * (1 + 8) + 1.5, 5);
    const gDirect = tf.grad((s: tf.Tensor) => sparseCodingObjective(x, s, dictionary, l1))(codes);
    const gGram = tf.grad((s: tf.Tensor) =>
      gramSparseCodingObjective(gram, correlations, energy, s, l1),
    )(codes);
    expect(Array.from(gGram.dataSync())).toEqual(Array.from(gDirect.dataSync()));
    tf.dispose([dictionary, x, codes, l1, energy, gram, correlations, viaGram, gDirect, gGram]);
  });
});

describe('certifiedLassoCodes', () => {
  it('keeps a zero only where the lasso zero test holds with every other zero in place', async () => {
    const { dictionary, x, codes } = twoPatches();
    const gram = tf.matMul(dictionary, dictionary, true, false) as tf.Tensor2D; // [[2, 1], [1, 5]]
    const correlations = tf.matMul(x, dictionary) as tf.Tensor2D; // [[4, 7], [1, 1]]
    // α = 3: lassoZeros zeroes s₁₁ (coordinate-wise test 3 ≤ 3) and s₂₂ (|1| ≤ 3); with s₂₂ = 0 the
    // gradient of patch 2 is S·G − C = (0·2 + 0·1 − 1, 0 + 0 − 1): |−1| ≤ 3 holds; patch 1 at
    // (0, 1): (0 + 1 − 4, 0 + 5 − 7) = (−3, −2): |−3| ≤ 3 holds. Every zero passes: both stay.
    const three = await certifiedLassoCodes(codes as tf.Tensor2D, gram, correlations, 3, 0);
    expect(Array.from(await three.codes.data())).toEqual([0, 1, 0, 0]);
    expect(three.zeros).toBe(3);
    // α = 6: lassoZeros zeroes all four (3 ≤ 6 and 6 ≤ 6 in patch 1), but where s₁₁ = s₁₂ = 0
    // patch 1's gradient is −C = (−4, −7): |−7| > 6, so s₁₂ comes back; at (0, 1) s₁₁ passes again.
    const below = await certifiedLassoCodes(codes as tf.Tensor2D, gram, correlations, 6, 0);
    expect(Array.from(await below.codes.data())).toEqual([0, 1, 0, 0]);
    expect(below.zeros).toBe(3);
    tf.dispose([dictionary, x, codes, gram, correlations, three.codes, below.codes]);
  });
});

describe('lassoZeros', () => {
  it('zeroes exactly the entries whose coordinate-wise lasso optimum is 0, by hand on two patches', () => {
    const { dictionary, x, codes } = twoPatches();
    const gram = tf.matMul(dictionary, dictionary, true, false) as tf.Tensor2D; // [[2, 1], [1, 5]]
    const correlations = tf.matMul(x, dictionary) as tf.Tensor2D; // [[4, 7], [1, 1]]
    // (Bᵀ(x − Bs))_j + G_jj s_j: patch 1 (s = (1, 1)): j=1: 4 − 3 + 2 = 3, j=2: 7 − 6 + 5 = 6;
    // patch 2 (s = (0, −1)): j=1: 1 + 1 + 0 = 2, j=2: 1 + 5 − 5 = 1.
    const at = (alpha: number) => {
      const out = lassoZeros(codes as tf.Tensor2D, gram, correlations, alpha);
      const values = Array.from(out.dataSync());
      out.dispose();
      return values;
    };
    expect(at(0.5)).toEqual([1, 1, 0, -1]);
    expect(at(1)).toEqual([1, 1, 0, 0]); // |1| ≤ 1: s₂₂ = −1 goes to zero
    expect(at(3)).toEqual([0, 1, 0, 0]);
    expect(at(6)).toEqual([0, 0, 0, 0]);
    tf.dispose([dictionary, x, codes, gram, correlations]);
  });
});
