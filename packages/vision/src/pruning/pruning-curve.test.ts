import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { mlp } from '../models/mlp.js';
import {
  plannedSteps,
  pruningCurve,
  type PrunePoint,
  type TrainedWeights,
} from './pruning-curve.js';
import { sparseTask } from '../testing/sparse-task.js';

describe('pruning curve (spred vs magnitude, random, SNIP, SynFlow, GraSP, lottery on one budget)', () => {
  it('gives every method an unpruned row and one point per threshold at spred’s compression, and frees what it made', async () => {
    const train = sparseTask(512, 1);
    const test = sparseTask(256, 2);
    const before = tf.memory().numTensors;
    const epochs: string[] = [];
    const streamed: PrunePoint[] = [];
    let steps = 0;
    const options = {
      build: () => mlp({ inputShape: [8, 8, 1], hidden: [32], classes: 4, seed: 3 }),
      train,
      test,
      kappa: 1e-2,
      thresholds: [1e-3, 3e-2],
      epochs: 12,
      finetuneEpochs: 4,
      learningRate: 1e-2,
      batchSize: 64,
      onEpoch: (e: { run: string }) => epochs.push(e.run),
      onPoint: (p: PrunePoint) => streamed.push(p),
      onStep: () => steps++,
    };
    const result = await pruningCurve(options);
    expect(result.complete).toBe(true);
    expect(steps).toBe(plannedSteps(options));
    expect(streamed).toEqual(result.points);
    const methods = ['spred', 'magnitude', 'random', 'snip', 'synflow', 'grasp', 'lottery'];
    for (const m of methods) {
      const rows = result.points.filter((p) => p.method === m);
      expect(
        rows.map((p) => p.threshold),
        m,
      ).toEqual([null, 'certified', 1e-3, 3e-2]);
      expect(rows[0]?.compression).toBe(1);
    }
    const at = (m: string, t: number | 'certified') =>
      result.points.find((p) => p.method === m && p.threshold === t) as PrunePoint;
    const dense = result.points.find(
      (p) => p.method === 'magnitude' && p.threshold === null,
    ) as PrunePoint;
    // The L1 penalty empties most of the first layer: the noise inputs' weights.
    expect(at('spred', 3e-2).compression).toBeGreaterThan(10);
    expect(at('spred', 3e-2).compression).toBeGreaterThanOrEqual(at('spred', 1e-3).compression);
    expect(at('spred', 3e-2).accuracy).toBeGreaterThan(dense.accuracy - 0.05);
    // With no threshold at all, the certified zeros already prune most noise weights away, and
    // magnitude pruning is matched to that compression like at any threshold.
    expect(at('spred', 'certified').compression).toBeGreaterThan(2);
    expect(at('magnitude', 'certified').kept).toBe(at('spred', 'certified').kept);
    // Baselines are pruned to spred's compression (global top-k: up to rounding; random: about).
    for (const t of [1e-3, 3e-2]) {
      for (const m of ['magnitude', 'snip', 'synflow', 'grasp', 'lottery'])
        expect(at(m, t).kept, `${m} @ ${t}`).toBe(at('spred', t).kept);
      expect(at('random', t).compression / at('spred', t).compression).toBeGreaterThan(0.6);
    }
    // At high compression random pruning cannot find the 4 informative inputs; spred did.
    expect(at('spred', 3e-2).accuracy).toBeGreaterThan(at('random', 3e-2).accuracy + 0.1);
    expect(at('spred', 3e-2).layers.map((l) => l.total)).toEqual([64 * 32, 32 * 4]);
    expect(new Set(epochs)).toContain('spred');
    expect([...new Set(epochs)].some((r) => r.startsWith('lottery @'))).toBe(true);
    expect(result.points.every((p) => p.seconds > 0)).toBe(true);
    tf.dispose([train.x, train.y, test.x, test.y]);
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('stops between steps when interrupted and returns the points measured so far', async () => {
    const train = sparseTask(256, 3);
    const test = sparseTask(64, 4);
    const controller = new AbortController();
    const result = await pruningCurve({
      build: () => mlp({ inputShape: [8, 8, 1], hidden: [16], classes: 4, seed: 1 }),
      train,
      test,
      kappa: 1e-3,
      thresholds: [1e-3, 1e-2],
      certifiedPoint: false,
      methods: ['spred', 'magnitude'],
      epochs: 2,
      finetuneEpochs: 2,
      batchSize: 64,
      onPoint: (p) => {
        if (p.threshold !== null && p.method === 'spred') controller.abort();
      },
      signal: controller.signal,
    });
    expect(result.complete).toBe(false);
    expect(result.points.map((p) => [p.method, p.threshold])).toEqual([
      ['spred', null],
      ['magnitude', null],
      ['spred', 1e-3],
    ]);
    tf.dispose([train.x, train.y, test.x, test.y]);
  });

  it('prunes spred to target compressions when given them instead of thresholds', async () => {
    const train = sparseTask(256, 6);
    const result = await pruningCurve({
      build: () => mlp({ inputShape: [8, 8, 1], hidden: [16], classes: 4, seed: 2 }),
      train,
      test: train,
      kappa: 1e-3,
      compressions: [4, 20],
      certifiedPoint: false,
      methods: ['spred', 'magnitude'],
      epochs: 3,
      finetuneEpochs: 1,
      batchSize: 64,
    });
    const spred = result.points.filter((p) => p.method === 'spred' && p.threshold !== null);
    expect(spred.map((p) => Math.round(p.compression))).toEqual([4, 20]);
    const [low, high] = spred.map((p) => p.threshold) as [number, number];
    expect(high).toBeGreaterThan(low);
    const magnitude = result.points.filter((p) => p.method === 'magnitude' && p.threshold !== null);
    expect(magnitude.map((p) => p.kept)).toEqual(spred.map((p) => p.kept));
    tf.dispose([train.x, train.y]);
  });

  it('keeps minimumPerLayer weights of every kernel at every point, for every method', async () => {
    const train = sparseTask(128, 9);
    const result = await pruningCurve({
      build: () => mlp({ inputShape: [8, 8, 1], hidden: [16], classes: 4, seed: 4 }),
      train,
      test: train,
      kappa: 1e-3,
      compressions: [500],
      minimumPerLayer: 6,
      epochs: 1,
      finetuneEpochs: 0,
      batchSize: 64,
    });
    const pruned = result.points.filter((p) => p.threshold !== null);
    expect(new Set(pruned.map((p) => p.method)).size).toBe(7);
    for (const p of pruned)
      expect(
        p.layers.map((l) => l.kept >= 6),
        p.method,
      ).toEqual([true, true]);
    tf.dispose([train.x, train.y]);
  });

  it("spredInit 'balanced' starts spred from the baselines' very function; 'paper' from its own init", async () => {
    const data = sparseTask(256, 7);
    const untrained = async (spredInit: 'balanced' | 'paper') => {
      const result = await pruningCurve({
        build: () => mlp({ inputShape: [8, 8, 1], hidden: [16], classes: 4, seed: 5 }),
        train: data,
        test: data,
        kappa: 1e-3,
        spredInit,
        thresholds: [0],
        methods: ['spred', 'magnitude'],
        epochs: 0,
        finetuneEpochs: 0,
      });
      const unpruned = result.points.filter((p) => p.threshold === null);
      return unpruned.map((p) => p.accuracy);
    };
    const [spred, dense] = await untrained('balanced');
    expect(spred).toBe(dense);
    const [paper, dense2] = await untrained('paper');
    expect(dense2).toBe(dense);
    expect(paper).not.toBe(dense);
    tf.dispose([data.x, data.y]);
  });

  it("structure 'neurons' prunes whole units: every layer keeps a whole number of columns, and the FLOPs fall with them", async () => {
    const data = sparseTask(256, 8);
    const result = await pruningCurve({
      build: () => mlp({ inputShape: [8, 8, 1], hidden: [16], classes: 4, seed: 6 }),
      train: data,
      test: data,
      kappa: 2e-2,
      structure: 'neurons',
      thresholds: [0.3],
      methods: ['spred'],
      epochs: 20,
      finetuneEpochs: 1,
      learningRate: 1e-2,
      batchSize: 32,
    });
    const pruned = result.points.find((p) => p.threshold !== null) as PrunePoint;
    expect(pruned.layers).toHaveLength(2);
    const [first, second] = pruned.layers as [PrunePoint['layers'][0], PrunePoint['layers'][0]];
    expect(first.kept).toBeLessThan(64 * 16); // some of the 16 hidden units are gone…
    expect(first.kept % 64).toBe(0); // …each with all 64 of its input weights
    expect(second.kept % 16).toBe(0);
    // FLOPs of the collapsed model: the removed hidden units cost neither layer anything.
    const hidden = first.kept / 64;
    const outputs = second.kept / 16;
    expect(pruned.flops).toBe(64 * hidden + hidden * outputs);
    expect(pruned.flopCompression).toBeCloseTo((64 * 16 + 16 * 4) / pruned.flops, 12);
    expect(pruned.flopCompression).toBeGreaterThan(1);
    const unpruned = result.points.find((p) => p.threshold === null) as PrunePoint;
    expect([unpruned.flops, unpruned.flopCompression]).toEqual([64 * 16 + 16 * 4, 1]);
    expect(pruned.accuracy).toBeGreaterThan(0.9); // the 4 informative inputs need few units
    tf.dispose([data.x, data.y]);
  });

  it('onTrained gives the largest kernel after training: spred piles its weights at zero, the dense model does not', async () => {
    const data = sparseTask(256, 9);
    const seen: TrainedWeights[] = [];
    await pruningCurve({
      build: () => mlp({ inputShape: [8, 8, 1], hidden: [16], classes: 4, seed: 7 }),
      train: data,
      test: data,
      kappa: 2e-2,
      thresholds: [1e-2],
      methods: ['spred', 'magnitude'],
      epochs: 10,
      finetuneEpochs: 0,
      learningRate: 1e-2,
      batchSize: 32,
      onTrained: (w) => seen.push(w),
    });
    expect(seen).toHaveLength(1);
    const { layer, kappa, spred, dense } = seen[0] as TrainedWeights;
    expect(kappa).toBe(2e-2);
    expect(layer).toMatch(/^dense_Dense\d+$/);
    expect(spred).toHaveLength(64 * 16); // the hidden layer's kernel, not the 16×4 output one
    expect(dense).toHaveLength(64 * 16);
    const nearZero = (v: Float32Array) => v.filter((w) => Math.abs(w) < 1e-3).length / v.length;
    expect(nearZero(spred)).toBeGreaterThan(0.5);
    expect(nearZero(dense as Float32Array)).toBeLessThan(0.05);
    tf.dispose([data.x, data.y]);
  });

  it('onTrained has no dense weights when no method trains the dense model', async () => {
    const data = sparseTask(32, 10);
    const seen: TrainedWeights[] = [];
    await pruningCurve({
      build: () => mlp({ inputShape: [8, 8, 1], hidden: [4], classes: 4, seed: 1 }),
      train: data,
      test: data,
      kappa: 1e-3,
      thresholds: [0],
      methods: ['spred'],
      epochs: 1,
      finetuneEpochs: 0,
      onTrained: (w) => seen.push(w),
    });
    expect(seen.map((w) => [w.spred.length, w.dense])).toEqual([[64 * 4, null]]);
    tf.dispose([data.x, data.y]);
  });

  it('rejects bad options with a message naming them', async () => {
    const train = sparseTask(8, 5);
    const base = {
      build: () => mlp({ inputShape: [8, 8, 1], hidden: [4], classes: 4 }),
      train,
      test: train,
      kappa: 1e-3,
      thresholds: [1e-3],
      epochs: 1,
      finetuneEpochs: 1,
    };
    await expect(pruningCurve({ ...base, kappa: 0 })).rejects.toThrow(/kappa must be positive/);
    await expect(pruningCurve({ ...base, thresholds: [] })).rejects.toThrow(/non-empty list/);
    await expect(pruningCurve({ ...base, compressions: [10] })).rejects.toThrow(
      /either thresholds or compressions/,
    );
    await expect(
      pruningCurve({ ...base, thresholds: undefined, compressions: [0.5] }),
    ).rejects.toThrow(/compressions must be numbers ≥ 1/);
    await expect(
      pruningCurve({ ...base, thresholds: undefined, compressions: [5], structure: 'neurons' }),
    ).rejects.toThrow(/compressions need structure 'elementwise'/);
    await expect(pruningCurve({ ...base, epochs: 1.5 })).rejects.toThrow(/epochs must be a whole/);
    await expect(pruningCurve({ ...base, methods: ['spred', 'obd' as 'spred'] })).rejects.toThrow(
      /unknown pruning method obd/,
    );
    await expect(pruningCurve({ ...base, minimumPerLayer: -1 })).rejects.toThrow(
      /minimumPerLayer must be a whole number ≥ 0, got -1/,
    );
    tf.dispose([train.x, train.y]);
  });
});
