import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { residualEnergy, sparseCodingObjective } from './sparse-coding-objective.js';

describe('sparse-coding objective', () => {
  it('is ½‖x − Bs‖² summed over patches plus the penalty, by hand on two patches', () => {
    // B = [[1, 0], [0, 2], [1, 1]] (d = 3, k = 2); patches x₁ = (1, 2, 3), x₂ = (0, 0, 1).
    const dictionary = tf.tensor2d([
      [1, 0],
      [0, 2],
      [1, 1],
    ]);
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 1],
    ]);
    const codes = tf.tensor2d([
      [1, 1],
      [0, -1],
    ]);
    // B s₁ = (1, 2, 2): residual (0, 0, 1) → 1. B s₂ = (0, −2, −1): residual (0, 2, 2) → 8.
    expect(Array.from(residualEnergy(x, codes, dictionary).dataSync())).toEqual([1, 8]);
    const l1 = tf.scalar(0.5 * 3); // α‖S‖₁ with α = 0.5
    const value = sparseCodingObjective(x, codes, dictionary, l1);
    expect(value.dataSync()[0]).toBe(0.5 * (1 + 8) + 1.5);
    tf.dispose([dictionary, x, codes, l1, value]);
  });
});
