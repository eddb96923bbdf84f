import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SpredInputError } from '../errors.js';
import { grouped } from '../reparam/grouped.js';
import { hadamard } from '../reparam/hadamard.js';
import { axisStructure } from '../reparam/group-structure.js';
import { evaluateDataLoss } from './data-loss.js';
import { collapseCertified, l1Stationarity, l1StationarityOfTerms } from './l1-stationarity.js';
import { l1Term } from './l1-term.js';

// L(v) = ½‖v − z‖²: ∂L/∂v = v − z, and the L1 answer at λ = 2κ is the soft threshold S(z, λ).
const z = [2, 0.1, -0.2, 0.05, -3, 0];
const kappa = 0.25; // λ = 0.5
const softThreshold = z.map((c) => Math.sign(c) * Math.max(0, Math.abs(c) - 2 * kappa));
const target = tf.tensor1d(z);
const squaredDistance = (v: tf.Tensor) => () =>
  tf.mul(0.5, tf.sum(tf.square(tf.sub(v, target)))) as tf.Scalar;

describe('the L1 stationarity certificate', () => {
  it('certifies the soft-threshold answer and measures the violation of any other point exactly', async () => {
    const v = tf.variable(tf.tensor1d(softThreshold));
    const term = l1Term(v, { kappa });
    const exact = await l1StationarityOfTerms([term], squaredDistance(v));
    expect(exact.certified).toBe(true);
    expect(exact.maxViolation).toBeLessThan(1e-6);
    expect(exact).toMatchObject({ groups: 6, zeros: 4, certifiedZeros: 4, certifiedShare: 1 });
    // objective = ½‖v − z‖² + λ‖v‖₁ at the answer
    const objective =
      0.5 * softThreshold.reduce((s, c, i) => s + (c - (z[i] as number)) ** 2, 0) +
      0.5 * softThreshold.reduce((s, c) => s + Math.abs(c), 0);
    expect(exact.objective).toBeCloseTo(objective, 5);

    // A point hovering near the answer, as after a noisy optimizer: tiny nonzeros where the answer
    // is zero violate |g + λ·sign(v)| = 0 by about one λ; a nonzero off by δ violates by |δ|/λ.
    v.assign(tf.tensor1d([1.5 + 1e-3, 1e-4, -1e-4, 0, -2.5, 0]));
    const hovering = await l1StationarityOfTerms([term], squaredDistance(v), { tol: 1e-2 });
    // entry 1: g = 1e-4 − 0.1, residual |−0.0999 + 0.5|/0.5
    expect(hovering.maxViolation).toBeCloseTo((0.5 - 0.0999) / 0.5, 4);
    expect(hovering).toMatchObject({ zeros: 2, certifiedZeros: 2, certified: false });
    // within tol 1e-2: entry 0 (off by 1e-3, i.e. 0.002 of λ), 4 (exact) and the zeros 3 and 5
    expect(hovering.terms[0]?.certified).toBe(4);
    v.dispose();
  });

  it('certifies group lasso answers by the group norms of the gradient', async () => {
    // rows of Z as groups: V_g = Z_g·max(0, 1 − λ/‖Z_g‖)
    const rows = [
      [3, 4],
      [0.2, 0.1],
      [0, -1],
    ];
    const lambda = 1;
    const answer = rows.map((r) => {
      const norm = Math.hypot(...r);
      return r.map((c) => c * Math.max(0, 1 - lambda / norm));
    });
    const zt = tf.tensor2d(rows);
    const v = tf.variable(tf.tensor2d(answer));
    const loss = () => tf.mul(0.5, tf.sum(tf.square(tf.sub(v, zt)))) as tf.Scalar;
    const certificate = await l1StationarityOfTerms(
      [l1Term(v, { kappa: lambda / 2, axis: 0 })],
      loss,
    );
    expect(certificate).toMatchObject({ groups: 3, zeros: 2, certifiedZeros: 2, certified: true });
    expect(certificate.maxViolation).toBeLessThan(1e-6);
    // row 3 has ‖Z_g‖ = λ exactly: zero is optimal, with no slack
    v.assign(tf.tensor2d([answer[0] as number[], [0, 0], [0, -0.1]]));
    const off = await l1StationarityOfTerms([l1Term(v, { kappa: lambda / 2, axis: 0 })], loss);
    // nonzero row [0, −0.1]: g = [0, 0.9], g + λ·v/‖v‖ = [0, −0.1]
    expect(off.maxViolation).toBeCloseTo(0.1, 5);
    tf.dispose([zt, v]);
  });

  it('accumulates mini-batch losses into the full-data gradient', async () => {
    const v = tf.variable(tf.tensor1d([0.3, -0.7, 1.1]));
    const x = tf.tensor2d([1, 2, 0, -1, 0.5, 3, 2, 2, -1, 0, 1, 1], [4, 3]);
    const y = tf.tensor1d([1, -2, 0.5, 3]);
    const batchLoss = (start: number, size: number) => () =>
      tf.div(
        tf.sum(tf.square(tf.sub(tf.slice(y, start, size), tf.dot(tf.slice(x, start, size), v)))),
        2 * 4,
      ) as tf.Scalar;
    const full = await evaluateDataLoss(batchLoss(0, 4), [v]);
    const batched = await evaluateDataLoss(
      [batchLoss(0, 1), batchLoss(1, 2), batchLoss(3, 1)],
      [v],
    );
    expect(batched.value).toBeCloseTo(full.value, 5);
    batched.gradient.forEach((g, i) => expect(g).toBeCloseTo(full.gradient[i] as number, 5));
    tf.dispose([v, x, y]);
  });

  it('reads V of a parametrization in value space and leaves its factors exactly as they were', async () => {
    const coef = hadamard([6], { kappa, seed: 3 });
    const before = await Promise.all(coef.variables.map((t) => t.data()));
    const v = coef.value();
    const loss = () => squaredDistance(coef.value())();
    const start = await l1Stationarity([coef], loss);
    // at a random start: every entry nonzero, none certified
    expect(start).toMatchObject({ zeros: 0, groups: 6 });
    expect(start.maxViolation).toBeGreaterThan(0.1);
    const after = await Promise.all(coef.variables.map((t) => t.data()));
    expect(after).toEqual(before);
    // at the answer (balanced factors, exact zeros where U = W = 0) it certifies
    await coef.assignAsync(softThreshold);
    const answer = await l1Stationarity([coef], loss);
    expect(answer).toMatchObject({ certified: true, zeros: 4, certifiedZeros: 4 });
    tf.dispose([v]);
    coef.dispose();
  });

  it('collapseCertified zeroes exactly where zero is certified, and puts back a zero that fails', async () => {
    // hovering tiny values where the answer is 0; entry 0 is a true nonzero whose |g| is just
    // below λ: zeroing it makes |g| = 2 > λ, so it must come back
    const start = [1.5 + 1e-3, 1e-3, -1e-3, 1e-4, -2.5, 1e-5];
    const v = tf.variable(tf.tensor1d(start));
    const certificate = await collapseCertified([l1Term(v, { kappa })], squaredDistance(v));
    const values = Array.from(await v.data());
    expect(values.map((c) => c === 0)).toEqual([false, true, true, true, false, true]);
    expect(values[0]).toBeCloseTo(start[0] as number, 6);
    expect(certificate).toMatchObject({ zeros: 4, certifiedZeros: 4 });
    v.dispose();
  });

  it('collapseCertified never trades a stationary point for a worse one: an interaction stays', async () => {
    // L = ½(v0·v1 − 2)² + ½v2²: at v0 = v1 = w (w³ − 2w + λ = 0) both pass the zero test *together*
    // (at v0 = v1 = 0 the gradient is 0), but zeroing them raises the objective from ≈ 4λ to 2.
    const lambda = 0.01;
    let w = Math.SQRT2;
    for (let k = 0; k < 50; k++) w -= (w ** 3 - 2 * w + lambda) / (3 * w ** 2 - 2);
    const v = tf.variable(tf.tensor1d([w, w, 1e-4]));
    const loss = () =>
      tf.tidy(() => {
        const [a, b, c] = tf.unstack(v) as [tf.Scalar, tf.Scalar, tf.Scalar];
        return tf.add(
          tf.mul(0.5, tf.square(tf.sub(tf.mul(a, b), 2))),
          tf.mul(0.5, tf.square(c)),
        ) as tf.Scalar;
      });
    const certificate = await collapseCertified([l1Term(v, { kappa: lambda / 2 })], loss);
    const values = Array.from(await v.data());
    expect(values[2]).toBe(0); // the hovering entry goes
    expect(values[0]).toBeCloseTo(w, 6); // the interaction stays
    expect(values[1]).toBeCloseTo(w, 6);
    expect(certificate).toMatchObject({ zeros: 1, certifiedZeros: 1 });
    expect(certificate.maxViolation).toBeLessThan(1e-3);
    v.dispose();
  });

  it('says what is wrong with a loss it cannot certify, and changes nothing', async () => {
    const coef = grouped([3, 2], { axis: 0, kappa: 0.1, seed: 1 });
    const before = await Promise.all(coef.variables.map((t) => t.data()));
    await expect(l1Stationarity([coef], () => tf.scalar(1))).rejects.toThrow(
      /not a differentiable function of the variables/,
    );
    await expect(
      l1Stationarity([coef], () => tf.sum(tf.log(tf.sub(coef.value(), 10)))),
    ).rejects.toThrow(/the loss is NaN/);
    await expect(l1Stationarity([coef], () => coef.value() as tf.Scalar)).rejects.toThrow(
      /must return a scalar tensor, got shape \[3, 2\]/,
    );
    await expect(l1Stationarity([], () => tf.scalar(1))).rejects.toThrow(SpredInputError);
    await expect(l1Stationarity([coef], () => tf.sum(coef.value()), { tol: -1 })).rejects.toThrow(
      /tol must be/,
    );
    expect(await Promise.all(coef.variables.map((t) => t.data()))).toEqual(before);
    const deep = hadamard([2], { kappa: 0.1, depth: 3 });
    await expect(l1Stationarity([deep], () => tf.sum(deep.value()))).rejects.toThrow(
      /only depth-2 parameters/,
    );
    coef.dispose();
    deep.dispose();
  });

  it('numbers groups along axes row-major', () => {
    const ids = (shape: number[], axis: number | number[]) => {
      const s = axisStructure(shape, axis);
      const out = Array.from(s.groupIds());
      s.dispose();
      return out;
    };
    expect(ids([2, 3], 0)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(ids([2, 3], 1)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(ids([2, 2, 1, 3], 3)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(ids([2, 3, 2], [0, 2])).toEqual([0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3]);
  });
});
