import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { grouped } from './grouped.js';

const read = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};
const scalar = (t: tf.Tensor): number => read(t)[0] as number;
const norm = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0));

describe('grouped: V_g = u_g·W_g with κ(Σ u_g² + ‖W‖²) stands for 2κ Σ_g ‖V_g‖₂', () => {
  const V = [
    [3, 4, 0],
    [0, 0, 0],
    [1, -1, 1],
  ];

  it('equals the group-lasso penalty at the balanced point, grouping rows or columns', () => {
    const rows = grouped([3, 3], { axis: 0, kappa: 0.5, initialValue: V.flat() });
    expect(rows.groupShape).toEqual([3, 1]);
    expect(scalar(rows.penalty())).toBeCloseTo(2 * 0.5 * (5 + 0 + Math.sqrt(3)), 5);
    expect(scalar(rows.equivalentPenalty())).toBeCloseTo(scalar(rows.penalty()), 5);
    expect(read(rows.groupNorms())).toEqual([5, 0, Math.sqrt(3)].map((x) => expect.closeTo(x, 5)));
    expect(rows.balanceError()).toBeLessThan(1e-5);
    const cols = grouped([3, 3], { axis: -1, kappa: 0.5, initialValue: V.flat() });
    const colNorms = [norm([3, 0, 1]), norm([4, 0, -1]), norm([0, 0, 1])];
    expect(scalar(cols.penalty())).toBeCloseTo(
      colNorms.reduce((a, b) => a + b, 0),
      5,
    );
    rows.dispose();
    cols.dispose();
  });

  it('groups conv filters: one scale per output channel of a [kh, kw, in, out] kernel', () => {
    const p = grouped([3, 3, 2, 4], { axis: 3, kappa: 0.1, seed: 1 });
    expect(p.groupShape).toEqual([1, 1, 1, 4]);
    expect(p.numGroups).toBe(4);
    expect(p.variables[0]?.shape).toEqual([1, 1, 1, 4]);
    p.rebalance();
    expect(scalar(p.penalty())).toBeCloseTo(scalar(p.equivalentPenalty()), 4);
    p.dispose();
  });

  it('takes explicit index groups and per-group κ', () => {
    const p = grouped([6], {
      groups: [0, 1, 0, 2, 1, 0],
      kappa: [1, 2, 3],
      initialValue: [1, 2, 2, -5, 0, 2],
    });
    // Groups: {1, 2, 2} → 3, {2, 0} → 2, {−5} → 5.
    expect(read(p.groupNorms())).toEqual([3, 2, 5].map((x) => expect.closeTo(x, 5)));
    expect(scalar(p.penalty())).toBeCloseTo(2 * (1 * 3 + 2 * 2 + 3 * 5), 4);
    expect(read(p.value())).toEqual([1, 2, 2, -5, 0, 2].map((x) => expect.closeTo(x, 5)));
    p.dispose();
  });

  it('rebalance keeps V and never raises the penalty', () => {
    for (let seed = 0; seed < 5; seed++) {
      const p = grouped([5, 4], { axis: 1, kappa: 0.2, depth: 2 + (seed % 2), seed });
      const before = read(p.value());
      const penaltyBefore = scalar(p.penalty());
      p.rebalance();
      read(p.value()).forEach((x, i) => expect(x).toBeCloseTo(before[i] as number, 5));
      expect(scalar(p.penalty())).toBeLessThanOrEqual(penaltyBefore + 1e-6);
      expect(scalar(p.penalty())).toBeCloseTo(scalar(p.equivalentPenalty()), 4);
      p.dispose();
    }
  });

  it('gradient descent reaches the closed-form group soft threshold (1 − λ/‖c_g‖)₊ c_g', () => {
    // min ½‖V − C‖² + λ Σ_g ‖V_g‖ with λ = 2κ = 1, groups = rows.
    const C = [
      [2, 0, -1],
      [0.3, 0.4, 0],
      [-3, 4, 0],
    ];
    const c = tf.tensor2d(C);
    const p = grouped([3, 3], { axis: 0, kappa: 0.5, seed: 9 });
    const optimizer = tf.train.sgd(0.05);
    for (let i = 0; i < 3000; i++) {
      optimizer.minimize(
        () =>
          tf.add(tf.mul(0.5, tf.sum(tf.square(tf.sub(p.value(), c)))), p.penalty()) as tf.Scalar,
        false,
        [...p.variables],
      );
    }
    const expected = C.flatMap((row) => {
      const shrink = Math.max(0, 1 - 1 / norm(row));
      return row.map((x) => shrink * x);
    });
    read(p.value()).forEach((x, i) => expect(x).toBeCloseTo(expected[i] as number, 3));
    expect(read(p.groupNorms())[1]).toBeLessThan(1e-4); // ‖(0.3, 0.4, 0)‖ = 0.5 < λ: the whole row is zero
    expect(p.balanceError()).toBeLessThan(1e-3);
    optimizer.dispose();
    c.dispose();
    p.dispose();
  });

  it('collapse zeroes whole groups', () => {
    const p = grouped([2, 3], {
      axis: 0,
      kappa: 1,
      initialValue: [1e-7, -1e-7, 1e-8, 0.5, 0, 1e-8],
    });
    expect(read(p.collapse({ threshold: 1e-6 }))).toEqual([
      0,
      0,
      0,
      expect.closeTo(0.5, 6),
      0,
      expect.closeTo(1e-8, 10),
    ]);
    p.dispose();
  });

  it('leaks no tensors, explicit groups included', () => {
    const p = grouped([20], {
      groups: Array.from({ length: 20 }, (_, i) => i % 4),
      kappa: 0.1,
      seed: 2,
    });
    const optimizer = tf.train.sgd(0.01);
    const step = () =>
      optimizer.minimize(
        () => tf.add(tf.sum(tf.square(p.value())), p.penalty()) as tf.Scalar,
        false,
        [...p.variables],
      );
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) step();
    p.rebalance();
    p.balanceError();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    p.dispose();
  });

  it('rejects a missing or doubled group spec, bad axes and bad ids', () => {
    expect(() => grouped([3, 3], { kappa: 1 })).toThrow(/exactly one of axis or groups/);
    expect(() => grouped([3, 3], { kappa: 1, axis: 0, groups: [0] })).toThrow(
      /exactly one of axis or groups/,
    );
    expect(() => grouped([3, 3], { kappa: 1, axis: 2 })).toThrow(
      /axis 2 is out of range for a tensor of rank 2/,
    );
    expect(() => grouped([3], { kappa: 1, groups: [0, 1] })).toThrow(
      /groups has 2 ids but the parameter has 3 entries/,
    );
    expect(() => grouped([3], { kappa: 1, groups: [0, -1, 1] })).toThrow(
      /groups\[1\] must be a non-negative integer/,
    );
    expect(() => grouped([3, 2], { kappa: [1, 2], axis: 0 })).toThrow(
      /kappa has length 2 but needs 3 values, one per group/,
    );
  });
});
