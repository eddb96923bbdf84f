import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { fitLine, nodeSparsity, nodeSparsitySweep } from './node-sparsity.js';

/** Strong enough on this problem that the L2 minimum keeps about half of the units. */
const STRONG_DECAY = 0.6;

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

  it('names the optimizers and schedules it knows when given another', async () => {
    const x = tf.zeros([4, 2]) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2) as tf.Tensor2D;
    const bad = { optimizer: 'lbfgs' } as unknown as { optimizer: 'sgd' };
    await expect(nodeSparsitySweep({ x, y, weightDecays: [0], ...bad })).rejects.toThrow(
      "unknown optimizer 'lbfgs': expected one of sgd, momentum, adam",
    );
    const badSchedule = { schedule: 'step' } as unknown as { schedule: 'cosine' };
    await expect(nodeSparsitySweep({ x, y, weightDecays: [0], ...badSchedule })).rejects.toThrow(
      "unknown schedule 'step': expected one of constant, cosine",
    );
    tf.dispose([x, y]);
  });

  it('strong decay under momentum takes dead units to ~0; under Adam they jitter at ~lr, above the threshold', async () => {
    const x = tf.randomUniform([256, 8], 0, 1, 'float32', 4) as tf.Tensor2D;
    const y = tf.tidy(() =>
      tf.oneHot(tf.argMax(tf.matMul(x, tf.randomNormal([8, 3], 0, 1, 'float32', 5)), 1), 3),
    ) as tf.Tensor2D;
    const sweep = (optimizer: 'momentum' | 'adam') =>
      nodeSparsitySweep({
        x,
        y,
        weightDecays: [STRONG_DECAY],
        hidden: 32,
        epochs: 40,
        batchSize: 64,
        optimizer,
      });
    const [momentum] = await sweep('momentum');
    const [adam] = await sweep('adam');
    expect(momentum?.nodeSparsity).toBeGreaterThan(0.3);
    expect(adam?.nodeSparsity).toBeLessThan(0.1);
    tf.dispose([x, y]);
  });
});
