import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Lasso } from '../estimators/regressors.js';
import { gaussian } from '../testing/synthetic.js';
import { DictionaryLearning } from './dictionary-learning.js';

/** N samples from a known dictionary (d × k unit columns), `active` atoms each, small noise. */
function fromDictionary(d: number, k: number, n: number, active: number, seed: number) {
  const draw = gaussian(seed);
  const atoms = Array.from({ length: k }, () => {
    const a = Array.from({ length: d }, draw);
    const norm = Math.hypot(...a);
    return a.map((v) => v / norm);
  });
  const values = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const chosen = new Set<number>();
    while (chosen.size < active) chosen.add(Math.floor(Math.abs(draw() * 1e6)) % k);
    for (const a of chosen) {
      const c = (draw() > 0 ? 1 : -1) * (1 + Math.abs(draw()));
      for (let p = 0; p < d; p++)
        values[i * d + p] = (values[i * d + p] as number) + c * (atoms[a]![p] as number);
    }
    for (let p = 0; p < d; p++) values[i * d + p] = (values[i * d + p] as number) + 0.01 * draw();
  }
  return { atoms, values };
}

/** Share of true atoms that some learned atom matches with |cos| ≥ 0.95 (learned atoms normalized first). */
function recoveredShare(truth: number[][], components: Float32Array, k: number, d: number): number {
  const learned = Array.from({ length: k }, (_, a) => {
    const atom = Array.from(components.subarray(a * d, a * d + d));
    const norm = Math.hypot(...atom);
    return atom.map((v) => v / norm);
  });
  const matched = truth.filter(
    (t) =>
      Math.max(
        ...learned.map((l) => Math.abs(l.reduce((s, v, p) => s + v * (t[p] as number), 0))),
      ) >= 0.95,
  );
  return matched.length / truth.length;
}

describe('DictionaryLearning', () => {
  it('recovers a known sparse dictionary: max |cos| ≥ 0.95 for ≥ 90% of the atoms', async () => {
    const d = 36;
    const k = 20;
    const n = 2000;
    const { atoms, values } = fromDictionary(d, k, n, 3, 31);
    const dl = await new DictionaryLearning({
      nAtoms: k,
      alpha: 0.1,
      epochs: 30,
      batchSize: 200,
      seed: 1,
    }).fit({ rows: n, cols: d, values });
    expect(recoveredShare(atoms, dl.components, k, d)).toBeGreaterThanOrEqual(0.9);
    const first = dl.history[0]!;
    const last = dl.history.at(-1)!;
    expect(last.objective).toBeLessThan(first.objective);
    // Three of 20 atoms per patch: 85% of the true codes are zero.
    expect(last.codeSparsity).toBeGreaterThan(0.75);
    // The read-out training codes have the exact lasso codes' zeros (the learned dictionary fixed).
    const design = Array.from({ length: d }, (_, p) =>
      Array.from({ length: k }, (_, a) => dl.components[a * d + p] as number),
    );
    let agree = 0;
    for (let i = 0; i < 50; i++) {
      const exact = new Lasso({
        alpha: 0.1 / d,
        fitIntercept: false,
        solver: 'cd',
        tol: 1e-12,
      }).fit(design, Array.from(values.subarray(i * d, i * d + d))).coef;
      exact.forEach((c, a) => {
        if ((c === 0) === (dl.codes[i * k + a] === 0)) agree++;
      });
    }
    expect(agree / (50 * k)).toBeGreaterThanOrEqual(0.9);
    expect(dl.codes.filter((s) => s === 0).length / dl.codes.length).toBeCloseTo(
      last.codeSparsity,
      10,
    );
  });

  it('transform gives the lasso solution of the solvers package for a fixed dictionary', async () => {
    const d = 16;
    const k = 8;
    const { values } = fromDictionary(d, k, 200, 2, 32);
    const dl = await new DictionaryLearning({
      nAtoms: k,
      alpha: 0.2,
      epochs: 3,
      batchSize: 100,
      seed: 2,
    }).fit({ rows: 200, cols: d, values });
    const sample = values.subarray(0, 3 * d);
    const codes = await dl.transform({ rows: 3, cols: d, values: sample }, { tol: 1e-6 });
    // ½‖x − Bs‖² + α‖s‖₁ = d·[(1/2d)‖x − Bs‖² + (α/d)‖s‖₁]: a lasso with α/d, design B (d × k), no intercept.
    const design = Array.from({ length: d }, (_, p) =>
      Array.from({ length: k }, (_, a) => dl.components[a * d + p] as number),
    );
    for (let i = 0; i < 3; i++) {
      const y = Array.from(sample.subarray(i * d, i * d + d));
      const lasso = new Lasso({
        alpha: 0.2 / d,
        fitIntercept: false,
        solver: 'cd',
        tol: 1e-12,
      }).fit(design, y);
      lasso.coef.forEach((c, a) => expect(codes[i * k + a]).toBeCloseTo(c, 5));
      expect(lasso.coef.map((c) => c !== 0)).toEqual(
        Array.from(codes.subarray(i * k, i * k + k), (c) => c !== 0),
      );
    }
  });

  it("with the paper's code-row normalization, rows of S have unit RMS and atoms are still recovered (up to scale)", async () => {
    const d = 36;
    const k = 20;
    const n = 2000;
    const { atoms, values } = fromDictionary(d, k, n, 3, 33);
    const dl = await new DictionaryLearning({
      nAtoms: k,
      alpha: 0.1,
      epochs: 30,
      batchSize: 200,
      seed: 1,
      normalization: 'codes',
    }).fit({ rows: n, cols: d, values });
    for (let a = 0; a < k; a++) {
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (dl.codes[i * k + a] as number) ** 2;
      // The rows of U ⊙ W are normalized; the certified read-out of `codes` zeroes entries that
      // were only near zero, which drops a little of a row's mass.
      expect(Math.sqrt(ss / n)).toBeCloseTo(1, 2);
    }
    expect(recoveredShare(atoms, dl.components, k, d)).toBeGreaterThanOrEqual(0.9);
    expect(dl.history.at(-1)!.objective).toBeLessThan(dl.history[0]!.objective);
  });

  it('an abort keeps what was learned and records the epoch it stopped in, and fit frees its tensors', async () => {
    const d = 16;
    const k = 8;
    const { values } = fromDictionary(d, k, 300, 2, 34);
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const dl = await new DictionaryLearning({
      nAtoms: k,
      alpha: 0.2,
      epochs: 10,
      batchSize: 100,
      seed: 4,
      signal: controller.signal,
      onEpoch: (record) => {
        if (record.epoch === 2) controller.abort();
      },
    }).fit({ rows: 300, cols: d, values });
    expect(tf.memory().numTensors).toBe(before);
    expect(dl.stopReason).toBe('aborted');
    expect(dl.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    // Epoch 3 stopped before its first batch: nothing moved since epoch 2.
    expect(dl.history[2]!.objective).toBe(dl.history[1]!.objective);
    expect(dl.history[1]!.objective).toBeLessThan(dl.history[0]!.objective);
    expect(dl.components).toHaveLength(k * d);
  });

  it('maxSeconds stops training at the budget and keeps the dictionary learned by then', async () => {
    const d = 16;
    const k = 8;
    const { values } = fromDictionary(d, k, 300, 2, 35);
    const started = performance.now();
    const dl = await new DictionaryLearning({
      nAtoms: k,
      alpha: 0.2,
      epochs: 100_000,
      batchSize: 50,
      seed: 5,
      maxSeconds: 0.5,
    }).fit({ rows: 300, cols: d, values });
    expect(dl.stopReason).toBe('max-seconds');
    expect((performance.now() - started) / 1000).toBeLessThan(5);
    expect(dl.components).toHaveLength(k * d);
    expect(() => new DictionaryLearning({ nAtoms: k, alpha: 0.2, maxSeconds: 0 })).toThrow(
      /maxSeconds/,
    );
  });

  it('rejects bad options and mismatched patches', async () => {
    expect(() => new DictionaryLearning({ nAtoms: 0, alpha: 1 })).toThrow(
      /nAtoms must be a positive integer/,
    );
    expect(() => new DictionaryLearning({ nAtoms: 4, alpha: -1 })).toThrow(
      /alpha must be positive/,
    );
    await expect(
      new DictionaryLearning({ nAtoms: 4, alpha: 1 }).fit({
        rows: 3,
        cols: 4,
        values: new Float32Array(5),
      }),
    ).rejects.toThrow(/patches have 5 values, expected 3 × 4/);
    await expect(
      new DictionaryLearning({ nAtoms: 4, alpha: 1 }).transform({
        rows: 1,
        cols: 4,
        values: new Float32Array(4),
      }),
    ).rejects.toThrow(/not fitted yet/);
  });
});
