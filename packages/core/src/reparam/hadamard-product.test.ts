import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hadamardProduct } from './hadamard-product.js';
import { squaredNormPenalty } from './squared-norm-penalty.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('hadamardProduct', () => {
  it("has tf.mul's value and gradients dV⊙W, dV⊙U", () => {
    const u = tf.tensor2d([
      [1, -2, 3],
      [0.5, 0, -1],
    ]);
    const w = tf.tensor2d([
      [2, 1, -1],
      [4, 3, 0.25],
    ]);
    const dv = tf.tensor2d([
      [1, 2, 3],
      [-1, 0.5, 2],
    ]);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(hadamardProduct(a, b), dv));
    const [gu, gw] = tf.grads(f)([u, w]);
    expect(values(hadamardProduct(u, w))).toEqual(values(tf.mul(u, w)));
    expect(values(gu!)).toEqual(values(tf.mul(dv, w)));
    expect(values(gw!)).toEqual(values(tf.mul(dv, u)));
  });

  it('refuses two shapes', () => {
    expect(() => hadamardProduct(tf.ones([2, 3]), tf.ones([3]))).toThrow(/one shape/);
  });
});

describe('squaredNormPenalty', () => {
  it('is λ‖x‖² with gradient 2λx', () => {
    const x = tf.tensor1d([1, -2, 0.5, 3]);
    expect(squaredNormPenalty(0.25, x).dataSync()[0]).toBeCloseTo(0.25 * (1 + 4 + 0.25 + 9), 6);
    const g = tf.grad((t: tf.Tensor) => tf.mul(3, squaredNormPenalty(0.25, t)))(x);
    values(g).forEach((gi, i) =>
      expect(gi).toBeCloseTo(3 * 2 * 0.25 * (values(x)[i] as number), 6),
    );
  });
});
