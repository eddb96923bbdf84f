import * as tf from '@tensorflow/tfjs-core';
import { grouped, hadamard, l1Stationarity, mulberry32, boxMuller } from '@spredjs/core';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
import { describe, expect, it } from 'vitest';
import { orthogonalLasso } from '../testing/orthogonal-lasso.js';
import { polish } from './polish.js';

/** A lasso on a correlated design, and its answer by float64 coordinate descent (tol 1e-14). */
function correlatedLasso(seed: number) {
  const [n, d] = [60, 25];
  const normal = boxMuller(mulberry32(seed));
  const shared = Array.from({ length: n }, () => normal());
  const x = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, () => 0.6 * (shared[i] as number) + normal()),
  );
  const truth = Array.from({ length: d }, (_, j) => (j < 5 ? (j % 2 === 0 ? 2 : -1.5) : 0));
  const y = x.map((row) => row.reduce((s, v, j) => s + v * (truth[j] as number), 0) + normal());
  const alpha = 0.15;
  // coordinate descent on (1/2n)‖y − Xv‖² + α‖v‖₁, no intercept
  const v = new Float64Array(d);
  const r = Float64Array.from(y);
  const norms = Array.from(
    { length: d },
    (_, j) => x.reduce((s, row) => s + (row[j] as number) ** 2, 0) / n,
  );
  for (let sweep = 0; sweep < 10_000; sweep++) {
    let change = 0;
    for (let j = 0; j < d; j++) {
      let rho = 0;
      for (let i = 0; i < n; i++)
        rho +=
          ((x[i] as number[])[j] as number) *
          ((r[i] as number) + ((x[i] as number[])[j] as number) * (v[j] as number));
      rho /= n;
      const next = (Math.sign(rho) * Math.max(Math.abs(rho) - alpha, 0)) / (norms[j] as number);
      const delta = next - (v[j] as number);
      if (delta !== 0)
        for (let i = 0; i < n; i++)
          r[i] = (r[i] as number) - ((x[i] as number[])[j] as number) * delta;
      v[j] = next;
      change = Math.max(change, Math.abs(delta));
    }
    if (change < 1e-14) break;
  }
  const X = tf.tensor2d(x);
  const Y = tf.tensor2d(y, [n, 1]);
  const datafit = (coef: () => tf.Tensor) => () =>
    tf.tidy(() => tf.div(tf.sum(tf.square(tf.sub(Y, tf.matMul(X, coef())))), 2 * n) as tf.Scalar);
  return { d, alpha, exact: Array.from(v), datafit, dispose: () => tf.dispose([X, Y]) };
}

describe('polish: the exact L1 answer after any optimizer', () => {
  it('lands on the soft-threshold answer of an orthogonal lasso from a random start, with exact zeros', async () => {
    const alpha = 0.1;
    const problem = orthogonalLasso(alpha);
    const coef = hadamard([problem.d, 1], { kappa: alpha / 2, seed: 2 });
    const loss = () => problem.datafit(coef.value());
    const result = await polish([coef], loss, { tol: 1e-5 });
    expect(result.stopReason).toBe('certified');
    expect(result.before.certified).toBe(false);
    expect(result.certificate.maxViolation).toBeLessThanOrEqual(1e-5);
    const v = Array.from(await coef.collapse({ threshold: 0 }).data());
    problem.exact.forEach((e, j) => {
      expect(v[j]).toBeCloseTo(e, 5);
      expect(v[j] === 0).toBe(e === 0);
    });
    // the factors end balanced: |U| = |W|
    expect(coef.balanceError()).toBeLessThan(1e-6);
    problem.dispose();
    coef.dispose();
  });

  it('after noisy Adam steps on a correlated lasso, reaches the coordinate-descent answer and its support', async () => {
    const problem = correlatedLasso(11);
    const coef = hadamard([problem.d, 1], { kappa: problem.alpha / 2, seed: 5 });
    const datafit = problem.datafit(() => coef.value());
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 300; step++)
      optimizer.minimize(() => tf.add(datafit(), coef.penalty()) as tf.Scalar, false, [
        ...coef.variables,
      ]);
    const adam = await l1Stationarity([coef], datafit);
    const result = await polish([coef], datafit, { tol: 1e-5 });
    expect(adam.certified).toBe(false);
    expect(result.certificate.certified).toBe(true);
    const v = Array.from(await coef.collapse({ threshold: 0 }).data());
    const largest = Math.max(...problem.exact.map(Math.abs));
    problem.exact.forEach((e, j) => {
      expect(Math.abs((v[j] as number) - e) / largest).toBeLessThan(1e-4);
      expect(v[j] === 0).toBe(e === 0);
    });
    expect(problem.exact.filter((e) => e === 0).length).toBeGreaterThan(5);
    optimizer.dispose();
    problem.dispose();
    coef.dispose();
  });

  it('solves a group lasso (rows) to its closed form, with an unpenalized intercept beside it', async () => {
    // ½‖V − Z‖² + ½(b − 0.7)²: b is free and goes to 0.7; each row shrinks by λ/‖Z_g‖.
    const zRows = [
      [3, 4],
      [0.2, 0.1],
      [1, -1],
    ];
    const lambda = 1;
    const z = tf.tensor2d(zRows);
    const coef = grouped([3, 2], { axis: 0, kappa: lambda / 2, seed: 1 });
    const b = tf.variable(tf.scalar(-2));
    const loss = () =>
      tf.tidy(
        () =>
          tf.add(
            tf.mul(0.5, tf.sum(tf.square(tf.sub(coef.value(), z)))),
            tf.mul(0.5, tf.square(tf.sub(b, 0.7))),
          ) as tf.Scalar,
      );
    const result = await polish([coef], loss, { variables: [b], tol: 1e-6 });
    expect(result.certificate.certified).toBe(true);
    expect((await b.data())[0]).toBeCloseTo(0.7, 5);
    const v = Array.from(await coef.collapse({ threshold: 0 }).data());
    const expected = zRows.flatMap((r) => {
      const norm = Math.hypot(...r);
      return r.map((c) => c * Math.max(0, 1 - lambda / norm));
    });
    expected.forEach((e, i) => {
      expect(v[i]).toBeCloseTo(e, 5);
      expect(v[i] === 0).toBe(e === 0);
    });
    tf.dispose([z, b]);
    coef.dispose();
  });

  it('leaves every factor as it was when the loss cannot be evaluated', async () => {
    const coef = hadamard([3], { kappa: 0.1, seed: 1 });
    const before = await Promise.all(coef.variables.map((v) => v.data()));
    await expect(polish([coef], () => tf.sum(tf.log(tf.sub(coef.value(), 5))))).rejects.toThrow(
      /the loss is NaN/,
    );
    expect(await Promise.all(coef.variables.map((v) => v.data()))).toEqual(before);
    coef.dispose();
  });

  it('polish and l1Stationarity read only with await data(), so they run where synchronous reads throw', async () => {
    const run = async () => {
      const problem = orthogonalLasso(0.1);
      const coef = hadamard([problem.d, 1], { kappa: 0.05, seed: 2, name: 'coef' });
      const loss = () => problem.datafit(coef.value());
      const before = await l1Stationarity([coef], loss); // core's certificate, read asynchronously
      const result = await polish([coef], loss, { tol: 1e-4 });
      const v = Array.from(await coef.collapse({ threshold: 0 }).data());
      problem.dispose();
      coef.dispose();
      return { before, stopReason: result.stopReason, zeros: result.certificate.zeros, v };
    };
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(run);
    expect(asyncOnly).toEqual(cpu);
    expect(cpu.stopReason).toBe('certified');
  });
});
