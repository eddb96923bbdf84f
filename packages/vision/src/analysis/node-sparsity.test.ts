import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { fitLine, nodeSparsity, nodeSparsitySweep } from './node-sparsity.js';

describe('node sparsity', () => {
  it('reads dead neurons from the outgoing weights, as the paper defines them', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 3, inputShape: [2] }), tfl.layers.dense({ units: 2 })],
    });
    model.layers[0]!.setWeights([
      tf.tensor2d([
        [1, 0, 2],
        [1, 0, 0],
      ]),
      tf.zeros([3]),
    ]);
    model.layers[1]!.setWeights([
      tf.tensor2d([
        [1, 1],
        [0, 0],
        [5e-5, 5e-5],
      ]),
      tf.zeros([2]),
    ]);
    const r = nodeSparsity(model);
    expect(r).toMatchObject({ hiddenNeurons: 3, deadNeurons: 2 });
    expect(r.nodeSparsity).toBeCloseTo(2 / 3, 12);
    expect(r.weightSparsity).toBeCloseTo((3 + 4) / 12, 12);
    model.dispose();
  });

  it('fits the least-squares line exactly through collinear points', () => {
    expect(fitLine([0, 1, 2], [1, 3, 5])).toEqual({ slope: 2, intercept: 1, r2: 1 });
  });

  it('grows with weight decay in a trained ReLU MLP, and weight sparsity follows it', async () => {
    const x = tf.randomUniform([1000, 20], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.tidy(() =>
      tf.oneHot(tf.argMax(tf.matMul(x, tf.randomNormal([20, 3], 0, 1, 'float32', 2)), 1), 3),
    ) as tf.Tensor2D;
    const rows = await nodeSparsitySweep({
      x,
      y,
      weightDecays: [0, 1e-3, 1e-2],
      hidden: 64,
      epochs: 60,
      batchSize: 100,
      threshold: 1e-3,
    });
    const nodes = rows.map((r) => r.nodeSparsity);
    expect(nodes[0]).toBe(0);
    expect(nodes[2]).toBeGreaterThan(nodes[0] as number);
    for (let i = 1; i < nodes.length; i++)
      expect(nodes[i]).toBeGreaterThanOrEqual(nodes[i - 1] as number);
    expect(
      fitLine(
        nodes,
        rows.map((r) => r.weightSparsity),
      ).slope,
    ).toBeGreaterThan(0);
    expect(rows.every((r) => r.trainAccuracy > 0.9)).toBe(true);
    tf.dispose([x, y]);
  });

  it('trains through the seeded loop: the same seed gives the same rows, another seed others, and nothing leaks', async () => {
    const x = tf.randomUniform([200, 6], 0, 1, 'float32', 3) as tf.Tensor2D;
    const y = tf.tidy(() => tf.oneHot(tf.argMax(x, 1), 6)) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const sweep = (seed: number) =>
      nodeSparsitySweep({ x, y, weightDecays: [1e-2], hidden: 16, epochs: 3, batchSize: 32, seed });
    const strip = <T extends { seconds: number }>(rows: T[]) =>
      rows.map(({ seconds: _s, ...r }) => r);
    const [a, b, c] = [strip(await sweep(1)), strip(await sweep(1)), strip(await sweep(2))];
    expect(tf.memory().numTensors).toBe(before);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a[0]?.trainAccuracy).toBeGreaterThan(1 / 6);
    tf.dispose([x, y]);
  });
});
