import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GroupedOptimizer, mulberry32 } from '@spredjs/optim';
import { tfSeed } from '@spredjs/core';
import { describe, expect, it } from 'vitest';
import { trainMasked } from './train-masked.js';
import { graspMasks } from './grasp.js';
import { synflowMasks } from './synflow.js';
import {
  disposeMasks,
  type KernelMask,
  type MaskOptions,
  magnitudeMasks,
  prunableKernels,
  randomMasks,
  snipMasks,
  summarizeMasks,
  thresholdMasks,
} from './masks.js';

/** 8 Gaussian blobs in 20 dimensions: an MLP gets them nearly all right. */
function blobs(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D; labels: number[] } {
  const random = mulberry32(seed);
  const centers = mulberry32(99);
  const c = Array.from({ length: 8 }, () =>
    Array.from({ length: 20 }, () => 2 * (centers() - 0.5) * 3),
  );
  const labels = Array.from({ length: n }, (_, i) => i % 8);
  const x = labels.flatMap((l) => (c[l] as number[]).map((v) => v + (random() - 0.5) * 2));
  return {
    x: tf.tensor2d(x, [n, 20]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), 8) as tf.Tensor2D,
    labels,
  };
}

function mlp(seed: number): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [20],
        units: 64,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: tfSeed(seed) }),
      }),
      tfl.layers.dense({
        units: 8,
        kernelInitializer: tfl.initializers.glorotNormal({ seed: tfSeed(seed + 1) }),
      }),
    ],
  });
  return model;
}

/** Adam over every trainable variable of a model (the caller disposes it). */
function adam(model: tfl.LayersModel, learningRate = 1e-2): GroupedOptimizer {
  return new GroupedOptimizer({ kind: 'adam', learningRate }, [
    { variables: model.trainableWeights.map((w) => w.read() as tf.Variable) },
  ]);
}

function accuracy(model: tfl.LayersModel, data: ReturnType<typeof blobs>): number {
  return tf.tidy(() => {
    const predicted = tf.argMax(model.predict(data.x) as tf.Tensor, 1).dataSync();
    return data.labels.filter((l, i) => predicted[i] === l).length / data.labels.length;
  });
}

describe('pruning masks', () => {
  it('global magnitude keeps exactly total/compression weights, the largest ones', async () => {
    const model = mlp(1);
    const masks = await magnitudeMasks(model, 10);
    const summary = await summarizeMasks(masks);
    expect(summary.total).toBe(20 * 64 + 64 * 8);
    expect(summary.kept).toBe(Math.round(summary.total / 10));
    expect(summary.compression).toBeCloseTo(10, 1);
    const [k0, k1] = prunableKernels(model).map((k) => Array.from(k.dataSync()));
    const m = masks.flatMap((mk) => Array.from(mk.mask.dataSync()));
    const all = [...(k0 as number[]), ...(k1 as number[])].map(Math.abs);
    const smallestKept = Math.min(...all.filter((_, i) => m[i] === 1));
    const largestPruned = Math.max(...all.filter((_, i) => m[i] === 0));
    expect(smallestKept).toBeGreaterThanOrEqual(largestPruned);
    expect(summary.layers.map((l) => l.name)).toEqual(prunableKernels(model).map((k) => k.name));
    disposeMasks(masks);
    model.dispose();
  });

  it('random keeps about 1/compression of every layer, the same for the same seed; threshold keeps |w| > t', async () => {
    const model = mlp(2);
    const [a, b] = [await randomMasks(model, 4, 7), await randomMasks(model, 4, 7)];
    expect(b.map((m) => m.mask.size)).toEqual([20 * 64, 64 * 8]);
    a.forEach((m, i) =>
      expect(Array.from(m.mask.dataSync())).toEqual(Array.from(b[i]!.mask.dataSync())),
    );
    for (const layer of (await summarizeMasks(a)).layers)
      expect(layer.sparsity).toBeGreaterThan(0.65);
    for (const layer of (await summarizeMasks(a)).layers) expect(layer.sparsity).toBeLessThan(0.85);
    const t = await thresholdMasks(model, 0.1);
    const kernel = prunableKernels(model)[0]!.dataSync();
    const mask = t[0]!.mask.dataSync();
    expect([kernel.length, mask.length]).toEqual([20 * 64, 20 * 64]);
    kernel.forEach((w, i) => expect(mask[i]).toBe(Math.abs(w) > 0.1 ? 1 : 0));
    [a, b, t].forEach(disposeMasks);
    model.dispose();
  });

  it('SNIP keeps the first-layer weights of informative inputs, not those of dead ones', async () => {
    const model = mlp(3);
    const data = blobs(256, 1);
    // Inputs 10…19 carry nothing: zero them, so their sensitivity |g·w| is exactly 0.
    const x = tf.tidy(() => tf.mul(data.x, tf.concat([tf.ones([1, 10]), tf.zeros([1, 10])], 1)));
    const masks = await snipMasks(model, x, data.y, 4);
    const first = masks[0]?.mask.arraySync() as number[][];
    expect(
      first
        .slice(10)
        .flat()
        .every((v) => v === 0),
    ).toBe(true);
    expect(
      first
        .slice(0, 10)
        .flat()
        .some((v) => v === 1),
    ).toBe(true);
    disposeMasks(masks);
    tf.dispose([x, data.x, data.y]);
    model.dispose();
  });
});

describe('the per-layer floor (minimumPerLayer)', () => {
  it('without it, global magnitude pruning empties a layer whose weights are all small', async () => {
    const model = mlp(5);
    // The second kernel (512 weights) ×100: the top 10% (179 weights) all lie in it.
    const [first, second] = prunableKernels(model) as [tf.Variable, tf.Variable];
    tf.tidy(() => second.assign(tf.mul(second, 100)));
    const bare = await magnitudeMasks(model, 10);
    expect((await summarizeMasks(bare)).layers.map((l) => l.kept)).toEqual([0, 179]);
    disposeMasks(bare);
    const masks = await magnitudeMasks(model, 10, 'global', { minimumPerLayer: 5 });
    expect((await summarizeMasks(masks)).layers.map((l) => l.kept)).toEqual([5, 179]);
    // The floor keeps the first layer's 5 largest |w|.
    const magnitudes = Array.from(first.dataSync()).map(Math.abs);
    const fifth = [...magnitudes].sort((a, b) => b - a)[4] as number;
    const kept = masks[0]!.mask.dataSync();
    magnitudes.forEach((v, i) => expect(kept[i]).toBe(v >= fifth ? 1 : 0));
    disposeMasks(masks);
    model.dispose();
  });

  it('keeps at least m weights of every kernel at compression 1000, for every method', async () => {
    const model = mlp(6);
    const data = blobs(64, 3);
    const m = 7;
    const before = tf.memory().numTensors;
    const methods: Record<string, (options: MaskOptions) => Promise<KernelMask[]>> = {
      spred: (o) => thresholdMasks(model, 1e9, o),
      magnitude: (o) => magnitudeMasks(model, 1000, 'global', o),
      random: (o) => randomMasks(model, 1000, 3, o),
      snip: (o) => snipMasks(model, data.x, data.y, 1000, o),
      synflow: (o) => synflowMasks(model, [20], 1000, { iterations: 5, ...o }),
      grasp: (o) => graspMasks(model, data.x, data.y, 1000, o),
    };
    for (const [name, method] of Object.entries(methods)) {
      const bareMasks = await method({});
      const bare = (await summarizeMasks(bareMasks)).layers.map((l) => l.kept);
      disposeMasks(bareMasks);
      expect(Math.min(...bare), `${name} empties a layer without the floor`).toBeLessThan(m);
      const masks = await method({ minimumPerLayer: m });
      const kept = (await summarizeMasks(masks)).layers.map((l) => l.kept);
      expect(Math.min(...kept), name).toBeGreaterThanOrEqual(m);
      // The floor only adds: a kernel left with fewer than m gets exactly its m best.
      // (SynFlow floors every round, so its later rounds differ: only the bound holds.)
      if (name !== 'synflow') expect(kept, name).toEqual(bare.map((k) => Math.max(k, m)));
      disposeMasks(masks);
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(magnitudeMasks(model, 10, 'global', { minimumPerLayer: 1.5 })).rejects.toThrow(
      /minimumPerLayer must be a whole number ≥ 0, got 1.5/,
    );
    tf.dispose([data.x, data.y]);
    model.dispose();
  });
});

describe('prune → finetune', () => {
  it('recovers the accuracy that pruning to 10× compression lost, with the pruned weights still zero', async () => {
    const train = blobs(512, 1);
    const test = blobs(512, 2);
    const model = mlp(4);
    const before = tf.memory().numTensors;
    const optimizer = adam(model);
    await trainMasked(model, [], train.x, train.y, { optimizer, epochs: 15, batchSize: 64 });
    const dense = accuracy(model, test);
    const masks = await magnitudeMasks(model, 10, 'layerwise');
    await trainMasked(model, masks, train.x, train.y, { optimizer, epochs: 0 }); // masks only
    const pruned = accuracy(model, test);
    const losses = await trainMasked(model, masks, train.x, train.y, {
      optimizer,
      epochs: 15,
      batchSize: 64,
      seed: 1,
    });
    const finetuned = accuracy(model, test);
    expect(dense).toBeGreaterThan(0.95);
    expect(pruned).toBeLessThan(dense - 0.1);
    expect(finetuned).toBeGreaterThan(dense - 0.03);
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
    // Pruned weights stayed exactly zero through finetuning.
    const kept = await summarizeMasks(masks);
    const nonzero = prunableKernels(model).reduce(
      (s, k) => s + Array.from(k.dataSync()).filter((v) => v !== 0).length,
      0,
    );
    expect(nonzero).toBeLessThanOrEqual(kept.kept);
    disposeMasks(masks);
    // Adam's state only: two moments per variable (4 variables).
    expect(tf.memory().numTensors).toBe(before + 8);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train.x, train.y, test.x, test.y]);
    model.dispose();
  });

  it('leaves out the losses of folded layers: the optimizer applies their penalty as l2', async () => {
    // Zero inputs: only the regularizer moves the kernel; folded, it moves through the group's l2.
    const { x, y, model } = regularizedTask(32);
    const [kernelVar, biasVar] = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = new GroupedOptimizer({ kind: 'sgd', learningRate: 0.1 }, [
      { variables: [kernelVar!], l2: 2 * 0.5 },
      { variables: [biasVar!] },
    ]);
    const losses = await trainMasked(model, [], x, y, {
      optimizer,
      epochs: 1,
      batchSize: 16,
      foldedLayers: model.layers,
    });
    // The same steps as with the penalty in the loss (× 0.9 per step), but the loss is about ln 2 alone.
    prunableKernels(model)[0]!
      .dataSync()
      .forEach((v) => expect(v).toBeCloseTo(0.9 ** 2, 5));
    expect(losses[0]).toBeCloseTo(Math.log(2), 2); // in the loss, the penalty would add ≥ 3.2
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });

  it("adds the layers' regularization losses to the data loss, and feeds batches through augment", async () => {
    // Zero inputs: the kernel's data gradient is 0, so only its L2 regularizer moves it.
    const { x, y, model } = regularizedTask(64);
    const optimizer = new GroupedOptimizer({ kind: 'sgd', learningRate: 0.1 }, [
      { variables: model.trainableWeights.map((w) => w.read() as tf.Variable) },
    ]);
    let batches = 0;
    const losses = await trainMasked(model, [], x, y, {
      optimizer,
      epochs: 2,
      batchSize: 16,
      augment: (batch, step) => {
        expect(step).toBe(batches++);
        return tf.mul(batch, 2);
      },
    });
    expect(batches).toBe(8);
    // d/dw 0.5·w² … = w: each SGD step multiplies the kernel by 1 − 0.1.
    const kernel = prunableKernels(model)[0]!.dataSync();
    expect(kernel.length).toBe(4 * 2);
    kernel.forEach((v) => expect(v).toBeCloseTo(0.9 ** 8, 5));
    // The epoch loss includes the penalty 0.5·‖w‖² (8 entries), not only the cross-entropy ln 2.
    expect(losses[0]).toBeGreaterThan(Math.log(2) + 0.5 * 8 * 0.9 ** 8);
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});

/**
 * Zero inputs with alternating labels and one Dense 4→2 layer (kernel of ones, L2 0.5): the
 * kernel's data gradient is 0, so only its regularizer moves it.
 */
function regularizedTask(n: number) {
  const x = tf.zeros([n, 4]);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % 2),
      'int32',
    ),
    2,
  );
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [4],
        units: 2,
        kernelInitializer: 'ones',
        kernelRegularizer: tfl.regularizers.l2({ l2: 0.5 }),
      }),
    ],
  });
  return { x, y, model };
}
