import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hadamard } from '../reparam/hadamard.js';
import { grouped } from '../reparam/grouped.js';
import { balanceError } from './balance.js';
import { sparsity, sparsityAt, thresholdAgreement } from './sparsity.js';

describe('sparsity read-outs', () => {
  it('counts elements of a tensor and groups of a parametrization at or below a threshold', () => {
    const t = tf.tensor1d([0, 1e-7, -1e-5, 0.5, -2]);
    expect(sparsity(t, 1e-6)).toBeCloseTo(2 / 5, 10);
    expect(sparsityAt(t, [0, 1e-4, 1])).toEqual([1 / 5, 3 / 5, 4 / 5]);
    const rows = grouped([2, 2], { axis: 0, kappa: 1, initialValue: [1e-8, 0, 1, 1] });
    expect(sparsity(rows, 1e-6)).toBe(0.5);
    t.dispose();
    rows.dispose();
  });

  it('signals convergence when the shares of zeros at two thresholds agree', () => {
    const settled = tf.tensor1d([0, 1e-9, 0.3, -1]);
    expect(thresholdAgreement(settled)).toMatchObject({
      sparsityLow: 0.5,
      sparsityHigh: 0.5,
      gap: 0,
      agreed: true,
    });
    const moving = tf.tensor1d([0, 1e-4, 0.3, -1]);
    const signal = thresholdAgreement(moving);
    expect(signal.gap).toBeCloseTo(0.25, 10);
    expect(signal.agreed).toBe(false);
    expect(thresholdAgreement(moving, { tolerance: 0.3 }).agreed).toBe(true);
    expect(() => thresholdAgreement(moving, { low: 1, high: 0.1 })).toThrow(/must be below/);
    // A dense start has both shares at 0: that says nothing about the support, so no agreement.
    const dense = tf.tensor1d([0.4, -1, 0.3, 2]);
    expect(thresholdAgreement(dense, { tolerance: 0.5 })).toMatchObject({
      sparsityLow: 0,
      sparsityHigh: 0,
      gap: 0,
      agreed: false,
    });
    dense.dispose();
    expect(() => sparsity(moving, NaN)).toThrow(/threshold must be a finite number/);
    settled.dispose();
    moving.dispose();
  });

  it('agrees only once training has moved the zeros below both thresholds', () => {
    const c = tf.tensor1d([2, 0.1, -0.2, 0.05, -3, 0]);
    const p = hadamard([6], { kappa: 0.25, seed: 5 });
    const optimizer = tf.train.sgd(0.05);
    const step = () =>
      optimizer.minimize(
        () => tf.add(tf.sum(tf.square(tf.sub(p.value(), c))), p.penalty()) as tf.Scalar,
        false,
        [...p.variables],
      );
    const gaps: number[] = [];
    for (let i = 0; i < 100; i++) {
      for (let j = 0; j < 20; j++) step();
      gaps.push(thresholdAgreement(p).gap);
    }
    // While the zeros are on their way down the two shares differ; at the end they agree.
    expect(Math.max(...gaps)).toBeGreaterThan(0);
    expect(thresholdAgreement(p)).toMatchObject({ sparsityLow: 4 / 6, agreed: true });
    expect(balanceError(p)).toBeLessThan(1e-3);
    optimizer.dispose();
    c.dispose();
    p.dispose();
  });
});
