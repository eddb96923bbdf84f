import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hadamard } from '@spredjs/core';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
import { lbfgs, lbfgsAsync } from './lbfgs.js';

describe('lbfgs on tfjs variables', () => {
  it('solves a spred lasso to the soft-threshold answer and leaves the variables there', () => {
    // ½‖v − c‖² + α‖v‖₁ with α = 2κ = 0.5: v = S(c, 0.5).
    const c = tf.tensor1d([2, -1, 0.3, -0.45, 0.8, 0]);
    const coef = hadamard([6], { kappa: 0.25, seed: 3 });
    const report = lbfgs(
      () =>
        tf.add(
          tf.mul(0.5, tf.sum(tf.square(tf.sub(coef.value(), c)))),
          coef.penalty(),
        ) as tf.Scalar,
      coef.variables,
      {
        gradientTolerance: 1e-6,
        maxIterations: 500,
      },
    );
    const v = Array.from(coef.value().dataSync());
    [1.5, -0.5, 0, 0, 0.3, 0].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 5));
    expect(report.stopReason).toBe('gradient');
    expect(report.iterations).toBeGreaterThan(0);
    expect(report.functionEvaluations).toBeGreaterThanOrEqual(report.iterations);
    expect(coef.balanceError()).toBeLessThan(1e-2);
    coef.dispose();
    c.dispose();
  });

  it('stops at once at the saddle V = 0, where the gradient vanishes (so never start there)', () => {
    const coef = hadamard([3], { kappa: 0.1, initialValue: [0, 0, 0] });
    const report = lbfgs(
      () => tf.add(tf.sum(tf.square(tf.sub(coef.value(), 1))), coef.penalty()) as tf.Scalar,
      coef.variables,
    );
    expect(report).toMatchObject({ stopReason: 'gradient', iterations: 0 });
    coef.dispose();
  });

  it('leaks no tensors', () => {
    const w = tf.variable(tf.tensor1d([3, -2]));
    const before = tf.memory().numTensors;
    lbfgs(() => tf.sum(tf.square(tf.sub(w, 1))) as tf.Scalar, [w], { maxIterations: 20 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(w.dataSync())).toEqual([1, 1]);
    w.dispose();
  });
});

describe('lbfgsAsync where synchronous reads throw', () => {
  it('takes the iterations of lbfgs on cpu and reaches the soft-threshold answer', async () => {
    // lbfgsAsync where reads must be asynchronous, plain lbfgs on cpu: the same iterations.
    const solve = async () => {
      const c = tf.tensor1d([2, -1, 0.3, -0.45, 0.8, 0]);
      const coef = hadamard([6], { kappa: 0.25, seed: 3 });
      const loss = () =>
        tf.add(
          tf.mul(0.5, tf.sum(tf.square(tf.sub(coef.value(), c)))),
          coef.penalty(),
        ) as tf.Scalar;
      const options = { gradientTolerance: 1e-6, maxIterations: 500 };
      const report =
        tf.getBackend() === 'cpu'
          ? lbfgs(loss, coef.variables, options)
          : await lbfgsAsync(loss, coef.variables, options);
      const v = coef.value();
      const values = Array.from(await v.data());
      tf.dispose([v, c]);
      coef.dispose();
      return { report, values };
    };
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(solve);
    expect(asyncOnly.report).toEqual(cpu.report);
    expect(asyncOnly.values).toEqual(cpu.values);
    [1.5, -0.5, 0, 0, 0.3, 0].forEach((x, i) => expect(asyncOnly.values[i]).toBeCloseTo(x, 5));
  });
});
