import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { mlp } from '../models/mlp.js';
import { disposeMasks, prunableKernels, summarizeMasks, type KernelMask } from './masks.js';
import { synflowMasks } from './synflow.js';

/** Dense 3→2→1 without biases, with signed weights: R = 1ᵀ|W2ᵀ||W1ᵀ|1. */
function twoLayerLinear(): { model: tfl.LayersModel; w1: number[][]; w2: number[][] } {
  const w1 = [
    [0.5, -2],
    [-1.5, 0.25],
    [3, -0.75],
  ];
  const w2 = [[-0.4], [1.1]];
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [3], units: 2, useBias: false }),
      tfl.layers.dense({ units: 1, useBias: false }),
    ],
  });
  const [k1, k2] = prunableKernels(model) as [tf.Variable, tf.Variable];
  k1.assign(tf.tensor2d(w1));
  k2.assign(tf.tensor2d(w2));
  return { model, w1, w2 };
}

const flat = (masks: readonly KernelMask[]) => masks.flatMap((m) => Array.from(m.mask.dataSync()));

describe('SynFlow (Tanaka et al. 2020)', () => {
  it('scores a 2-layer linear network by the hand-computed synaptic flow |θ|·∂R/∂|θ| at every keep count', async () => {
    const { model, w1, w2 } = twoLayerLinear();
    // Kernel [in, out]: W1[i][j] links input i to unit j. Score of W1[i][j] = |W1[i][j]|·|W2[j][0]|;
    // of W2[j][0] = |W2[j][0]|·Σ_i |W1[i][j]| (the all-ones input feeds 1 into every input).
    const a = (v: number) => Math.abs(v);
    const scores = [
      ...w1.flatMap((row) => row.map((v, j) => a(v) * a(w2[j]![0]!))),
      ...w2.map((row, j) => a(row[0]!) * w1.reduce((s, r) => s + a(r[j]!), 0)),
    ];
    const order = scores.map((_, i) => i).sort((p, q) => scores[q]! - scores[p]!);
    const before = prunableKernels(model).map((k) => Array.from(k.dataSync()));
    for (let keep = 1; keep <= 8; keep++) {
      const masks = await synflowMasks(model, [3], 8 / keep, { iterations: 1 });
      const expected = scores.map((_, i) => (order.slice(0, keep).includes(i) ? 1 : 0));
      expect(flat(masks), `keep ${keep}`).toEqual(expected);
      disposeMasks(masks);
    }
    // Signs and values are restored.
    expect(prunableKernels(model).map((k) => Array.from(k.dataSync()))).toEqual(before);
    model.dispose();
  });

  it('prunes iteratively on the exponential schedule to total/compression, pruned weights staying pruned, and frees what it made', async () => {
    const model = mlp({ inputShape: [10, 1], hidden: [32, 16], classes: 4, seed: 1 });
    const total = 10 * 32 + 32 * 16 + 16 * 4;
    const before = tf.memory().numTensors;
    const rounds: number[][] = [];
    const masks = await synflowMasks(model, [10, 1], 50, {
      iterations: 10,
      onRound: (round, m) => {
        const values = flat(m);
        expect(
          values.reduce((s, v) => s + v, 0),
          `round ${round}`,
        ).toBe(Math.max(1, Math.round(total * 50 ** -(round / 10))));
        rounds.push(values);
      },
    });
    expect(rounds).toHaveLength(10);
    for (let r = 1; r < rounds.length; r++)
      rounds[r]!.forEach((v, i) => {
        if (v === 1) expect(rounds[r - 1]![i], `round ${r + 1}, weight ${i}`).toBe(1);
      });
    expect((await summarizeMasks(masks)).kept).toBe(Math.round(total / 50));
    expect(flat(masks)).toEqual(rounds.at(-1));
    disposeMasks(masks);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('is data-free and finite on a deep network whose raw flow overflows float32', async () => {
    // 16 Glorot-uniform layers scaled by 1000: each multiplies the flow of an all-ones input by
    // 256·E|w| ≈ 256·0.054·1000 ≈ 1.4e4, so the unscaled flow is ~1e66, far past float32's 3e38.
    const layers: tfl.layers.Layer[] = [
      tfl.layers.dense({ inputShape: [256], units: 256, activation: 'relu' }),
    ];
    for (let l = 0; l < 15; l++) layers.push(tfl.layers.dense({ units: 256, activation: 'relu' }));
    const model = tfl.sequential({ layers });
    for (const k of prunableKernels(model)) tf.tidy(() => k.assign(tf.mul(k, 1000)));
    const raw = tf.tidy(
      () =>
        tf
          .sum(
            prunableKernels(model).reduce(
              (x: tf.Tensor, k) => tf.matMul(x, tf.abs(k)),
              tf.ones([1, 256]),
            ),
          )
          .dataSync()[0],
    );
    expect(raw).toBe(Infinity);
    const masks = await synflowMasks(model, [256], 10, { iterations: 2 });
    const summary = await summarizeMasks(masks);
    expect(summary.kept).toBe(Math.round(summary.total / 10));
    expect(summary.layers.every((l) => l.kept > 0)).toBe(true);
    disposeMasks(masks);
    model.dispose();
  });

  it('rejects a bad compression or number of rounds', async () => {
    const { model } = twoLayerLinear();
    await expect(synflowMasks(model, [3], 0.5)).rejects.toThrow(/compression must be a number ≥ 1/);
    await expect(synflowMasks(model, [3], 2, { iterations: 0 })).rejects.toThrow(
      /iterations must be a whole number ≥ 1/,
    );
    model.dispose();
  });
});
