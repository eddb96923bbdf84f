import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hadamard } from './hadamard.js';
import { SpredInputError } from '../errors.js';

const read = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};
const scalar = (t: tf.Tensor): number => read(t)[0] as number;

/** Gradient descent with plain SGD on loss(V) + penalty, returning V at the end. */
function descend(
  param: ReturnType<typeof hadamard>,
  loss: (v: tf.Tensor) => tf.Scalar,
  steps: number,
  learningRate: number,
): number[] {
  const optimizer = tf.train.sgd(learningRate);
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.add(loss(param.value()), param.penalty()) as tf.Scalar, false, [
      ...param.variables,
    ]);
  }
  optimizer.dispose();
  return read(param.value());
}

describe('hadamard: V = U ⊙ W with κ(‖U‖² + ‖W‖²) stands for 2κ‖V‖₁', () => {
  it('equals 2κ‖V‖₁ at the balanced point, for any V', () => {
    const v = [0.3, -2, 0, 1.25, -0.01];
    const p = hadamard([5], { kappa: 0.7, initialValue: v });
    expect(read(p.value())).toEqual(v.map((x) => Math.fround(x)).map((x) => expect.closeTo(x, 6)));
    expect(scalar(p.penalty())).toBeCloseTo(2 * 0.7 * v.reduce((s, x) => s + Math.abs(x), 0), 5);
    expect(scalar(p.equivalentPenalty())).toBeCloseTo(scalar(p.penalty()), 5);
    expect(p.balanceError()).toBeLessThan(1e-6);
    // The sign lives in U: U = sign(V)·√|V|, W = √|V|.
    const [u, w] = p.variables.map((x) => Array.from(x.dataSync()));
    expect(u?.[1]).toBeCloseTo(-Math.sqrt(2), 6);
    expect(w?.[1]).toBeCloseTo(Math.sqrt(2), 6);
    p.dispose();
  });

  it('with unequal weights α‖U‖² + β‖W‖² stands for 2√(αβ)‖V‖₁', () => {
    const v = [1, -4, 0.5];
    const p = hadamard([3], { alpha: 0.2, beta: 1.8, initialValue: v });
    expect(scalar(p.penalty())).toBeCloseTo(2 * Math.sqrt(0.2 * 1.8) * 5.5, 5);
    expect(scalar(p.equivalentPenalty())).toBeCloseTo(2 * 0.6 * 5.5, 5);
    // Balanced for these weights: α u² = β w², so |u| = 3|w|.
    const [u, w] = p.variables.map((x) => Array.from(x.dataSync()));
    expect(Math.abs(u?.[1] as number)).toBeCloseTo(3 * Math.abs(w?.[1] as number), 5);
    p.dispose();
  });

  it('with a per-element κ stands for the weighted lasso 2 Σ κ_i |V_i|', () => {
    const p = hadamard([3], { kappa: [0.1, 1, 3], initialValue: [2, -2, 1] });
    expect(scalar(p.penalty())).toBeCloseTo(2 * (0.1 * 2 + 1 * 2 + 3 * 1), 5);
    p.dispose();
  });

  it('with depth N stands for N κ Σ |V|^{2/N} (the sparser L_{2/N} quasi-norm)', () => {
    const v = [8, -1, 0.125];
    const p = hadamard([3], { kappa: 0.5, depth: 3, initialValue: v });
    const expected = 3 * 0.5 * v.reduce((s, x) => s + Math.abs(x) ** (2 / 3), 0);
    expect(read(p.value())).toEqual(v.map((x) => expect.closeTo(x, 5)));
    expect(scalar(p.penalty())).toBeCloseTo(expected, 5);
    expect(scalar(p.equivalentPenalty())).toBeCloseTo(expected, 5);
    expect(p.variables).toHaveLength(3);
    p.dispose();
  });

  it('rebalance keeps V and never raises the penalty', () => {
    for (const depth of [2, 3]) {
      for (let seed = 0; seed < 5; seed++) {
        const p = hadamard([4, 6], { kappa: 0.3, depth, seed });
        const before = read(p.value());
        const penaltyBefore = scalar(p.penalty());
        expect(p.balanceError()).toBeGreaterThan(0.01);
        p.rebalance();
        const after = read(p.value());
        after.forEach((x, i) => expect(x).toBeCloseTo(before[i] as number, 5));
        const penaltyAfter = scalar(p.penalty());
        expect(penaltyAfter).toBeLessThanOrEqual(penaltyBefore + 1e-6);
        expect(penaltyAfter).toBeCloseTo(scalar(p.equivalentPenalty()), 4);
        expect(p.balanceError()).toBeLessThan(1e-5);
        p.dispose();
      }
    }
  });

  it('plain gradient descent on (w − c)² + |w| reaches the soft-threshold answer', () => {
    // 2κ = 1. argmin (w − c)² + |w| = sign(c)·max(|c| − 1/2, 0).
    const target = (c: number) => (v: tf.Tensor) => tf.sum(tf.square(tf.sub(v, c))) as tf.Scalar;
    const above = hadamard([1], { kappa: 0.5, seed: 3 });
    expect(descend(above, target(1.5), 2000, 0.05)[0]).toBeCloseTo(1.0, 4);
    expect(above.balanceError()).toBeLessThan(1e-4);
    above.dispose();
    // c = 0.5 sits on the kink: the minimum 0 is degenerate (quartic), reached at rate 1/t.
    const atKink = hadamard([1], { kappa: 0.5, seed: 3 });
    expect(Math.abs(descend(atKink, target(0.5), 6000, 0.2)[0] as number)).toBeLessThan(1e-3);
    atKink.dispose();
    const below = hadamard([1], { kappa: 0.5, seed: 4 });
    expect(Math.abs(descend(below, target(-0.3), 3000, 0.1)[0] as number)).toBeLessThan(1e-6);
    below.dispose();
  });

  it('every minimum found is balanced: |U| = |W|', () => {
    const c = tf.tensor1d([2, -3, 0.2, 0.9, -1.1, 0]);
    const p = hadamard([6], { kappa: 0.25, seed: 11 });
    const v = descend(p, (x) => tf.sum(tf.square(tf.sub(x, c))) as tf.Scalar, 3000, 0.05);
    // Soft threshold at 2κ/2 = 0.25.
    [1.75, -2.75, 0, 0.65, -0.85, 0].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 3));
    expect(p.balanceError()).toBeLessThan(1e-3);
    c.dispose();
    p.dispose();
  });

  it('gradients match central finite differences', () => {
    for (const depth of [2, 3]) {
      const p = hadamard([2, 3], { kappa: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], depth, seed: 5 });
      const a = tf.tensor2d([
        [0.5, -1, 2],
        [1.5, 0.3, -0.7],
      ]);
      const f = () =>
        tf.addN([
          tf.sum(tf.mul(a, p.value())),
          tf.mul(0.3, tf.sum(tf.square(p.value()))),
          p.penalty(),
        ]) as tf.Scalar;
      const { grads } = tf.variableGrads(f, [...p.variables]);
      const eps = 1e-2;
      for (const variable of p.variables) {
        const analytic = read(grads[variable.name] as tf.Tensor);
        const base = Array.from(variable.dataSync());
        for (let i = 0; i < base.length; i++) {
          const at = (delta: number) => {
            const x = [...base];
            x[i] = (x[i] as number) + delta;
            variable.assign(tf.tensor(x, variable.shape));
            return scalar(f());
          };
          const numeric = (at(eps) - at(-eps)) / (2 * eps);
          expect(analytic[i]).toBeCloseTo(numeric, 2);
        }
        variable.assign(tf.tensor(base, variable.shape));
      }
      a.dispose();
      p.dispose();
    }
  });

  it('leaks no tensors across 100 training steps', () => {
    const p = hadamard([50], { kappa: 0.1, seed: 1 });
    const c = tf.randomNormal([50], 0, 1, 'float32', 2);
    const optimizer = tf.train.adam(0.01);
    const step = () =>
      optimizer.minimize(
        () => tf.add(tf.sum(tf.square(tf.sub(p.value(), c))), p.penalty()) as tf.Scalar,
        false,
        [...p.variables],
      );
    step(); // Adam makes its moment accumulators on the first step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) step();
    p.rebalance();
    read(p.collapse({ threshold: 1e-3 }));
    p.balanceError();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    c.dispose();
    const beforeDispose = tf.memory().numTensors;
    p.dispose();
    expect(tf.memory().numTensors).toBe(beforeDispose - 2 - 2 - 1 - 2);
  });

  it('collapse gives exact zeros below the threshold and V elsewhere', () => {
    const p = hadamard([5], { kappa: 1, initialValue: [1e-7, -0.5, 2e-4, -3e-8, 1] });
    expect(read(p.collapse({ threshold: 1e-6 }))).toEqual([
      0,
      expect.closeTo(-0.5, 6),
      expect.closeTo(2e-4, 8),
      0,
      expect.closeTo(1, 6),
    ]);
    expect(() => p.collapse({ threshold: -1 })).toThrow(SpredInputError);
    p.dispose();
  });

  it('initializes reproducibly: Kaiming W (std √(2/fanIn)) with unit-variance U, or the balanced √', () => {
    const a = hadamard([400, 50], { kappa: 0.1, seed: 42 });
    const b = hadamard([400, 50], { kappa: 0.1, seed: 42 });
    const c = hadamard([400, 50], { kappa: 0.1, seed: 43 });
    expect(read(a.value())).toEqual(read(b.value()));
    expect(read(a.value())).not.toEqual(read(c.value()));
    const std = (t: tf.Tensor) => scalar(tf.tidy(() => tf.sqrt(tf.mean(tf.square(t)))));
    expect(std(a.variables[0] as tf.Tensor)).toBeCloseTo(1, 1);
    expect(std(a.variables[1] as tf.Tensor)).toBeCloseTo(Math.sqrt(2 / 400), 2);
    const sqrtInit = hadamard([400, 50], { kappa: 0.1, seed: 42, init: 'balanced-sqrt' });
    expect(sqrtInit.balanceError()).toBeLessThan(1e-6);
    const v = sqrtInit.value();
    expect(std(v)).toBeCloseTo(Math.sqrt(2 / 400), 2);
    v.dispose();
    for (const p of [a, b, c, sqrtInit]) p.dispose();
  });

  it('rejects bad input with messages that say what was expected', () => {
    expect(() => hadamard([3, 0], { kappa: 1 })).toThrow(
      /shape\[1\] must be a positive integer, got 0/,
    );
    expect(() => hadamard([3], { kappa: -1 })).toThrow(/kappa must be positive and finite, got -1/);
    expect(() => hadamard([3], { kappa: [1, NaN, 1] })).toThrow(
      /kappa must be positive and finite, got NaN at index 1/,
    );
    expect(() => hadamard([3], { kappa: [1, 2] })).toThrow(/kappa has length 2 but needs 3 values/);
    expect(() => hadamard([3], {})).toThrow(/kappa is required/);
    expect(() => hadamard([3], { kappa: 1, alpha: 1, beta: 1 })).toThrow(
      /either kappa, or alpha and beta/,
    );
    expect(() => hadamard([3], { alpha: 1, beta: 1, depth: 3 })).toThrow(
      /alpha and beta need depth 2/,
    );
    expect(() => hadamard([3], { kappa: 1, depth: 1 })).toThrow(/depth must be an integer ≥ 2/);
    expect(() => hadamard([3], { kappa: 1, initialValue: [1, 2] })).toThrow(
      /value has shape \[2\] but the parameter has shape \[3\]/,
    );
    expect(() => hadamard([3], { kappa: 1, initialValue: [1, Infinity, 2] })).toThrow(
      /NaN or Infinity/,
    );
  });

  it('releases everything it allocated when construction fails', () => {
    const before = tf.memory().numTensors;
    expect(() => hadamard([3], { kappa: 1, initialValue: [1, NaN, 2] })).toThrow(SpredInputError);
    expect(() => hadamard([3], { kappa: 1, gain: -1 })).toThrow(SpredInputError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('assign with unit scales', () => {
  it('keeps V with every scale factor 1, so zero entries are not at the saddle', () => {
    const p = hadamard([3], { kappa: 0.5, initialValue: [2, 0, -1] });
    p.assign([0.5, 0, -3], { factorization: 'unit-scales' });
    expect(Array.from(p.value().dataSync())).toEqual([0.5, 0, -3]);
    expect(Array.from((p.variables[0] as tf.Variable).dataSync())).toEqual([1, 1, 1]);
    // The gradient of (v − 1)² in w at the zero entry is u·2(v − 1) = −2: it can move.
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(tf.sub(p.value(), 1))) as tf.Scalar,
      [...p.variables],
    );
    expect(grads[(p.variables[1] as tf.Variable).name]?.dataSync()[1]).toBeCloseTo(-2, 6);
    tf.dispose(grads);
    p.dispose();
  });
});

describe('seeded initialization', () => {
  it('gives the same factors for the same seed, the default seed 0 included', () => {
    for (const seed of [undefined, 0, 7]) {
      const [a, b] = [0, 1].map(() =>
        hadamard([4, 3], { kappa: 0.1, ...(seed === undefined ? {} : { seed }) }),
      );
      a?.variables.forEach((v, i) =>
        expect(Array.from(v.dataSync())).toEqual(Array.from(b?.variables[i]?.dataSync() ?? [])),
      );
      a?.dispose();
      b?.dispose();
    }
    const [s0, s1] = [0, 1].map((seed) => hadamard([4, 3], { kappa: 0.1, seed }));
    expect(Array.from(s0?.variables[1]?.dataSync() ?? [])).not.toEqual(
      Array.from(s1?.variables[1]?.dataSync() ?? []),
    );
    s0?.dispose();
    s1?.dispose();
  });
});
