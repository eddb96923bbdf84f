import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { SpredInputError, mulberry32 } from '@spredjs/core';
import { spredify } from './convert-model.js';
import { shrinkModel } from './shrink-model.js';

/**
 * Gives every weight of `layer` seeded values in ±scale (never 0), then lets `edit` write exact
 * zeros or chosen values: edit(weightIndex, values, shape).
 */
function fill(
  layer: tfl.layers.Layer,
  seed: number,
  edit: (index: number, values: Float32Array, shape: readonly number[]) => void = () => {},
  scale = 1,
): void {
  const uniform = mulberry32(seed);
  const tensors = layer.getWeights().map((w, index) => {
    const values = Float32Array.from({ length: w.size }, () => {
      const u = uniform() * 2 - 1;
      return scale * (u + (u >= 0 ? 0.05 : -0.05));
    });
    edit(index, values, w.shape);
    return tf.tensor(values, w.shape, 'float32');
  });
  layer.setWeights(tensors);
  tf.dispose(tensors);
}

/** Zeros kernel[..., j] for every j in `units` (a kernel of shape [...window, fanIn, fanOut]). */
function zeroColumns(values: Float32Array, shape: readonly number[], units: readonly number[]) {
  const fanOut = shape.at(-1) as number;
  for (let i = 0; i < values.length; i++) if (units.includes(i % fanOut)) values[i] = 0;
}

/** Zeros every row i of kernel[..., i, :] with (i mod channels) in `inputs`. */
function zeroRows(
  values: Float32Array,
  shape: readonly number[],
  inputs: readonly number[],
  channels = shape.at(-2) as number,
) {
  const fanOut = shape.at(-1) as number;
  const fanIn = shape.at(-2) as number;
  for (let i = 0; i < values.length; i++)
    if (inputs.includes((Math.floor(i / fanOut) % fanIn) % channels)) values[i] = 0;
}

/** max |a − b| / max(1, |a|) over the outputs of both models on x. */
async function outputGap(a: tfl.LayersModel, b: tfl.LayersModel, x: tf.Tensor): Promise<number> {
  const ya = a.predict(x) as tf.Tensor;
  const yb = b.predict(x) as tf.Tensor;
  const [va, vb] = [await ya.data(), await yb.data()];
  tf.dispose([ya, yb]);
  expect(va.length).toBe(vb.length);
  let gap = 0;
  for (let i = 0; i < va.length; i++) {
    const ai = va[i] as number;
    gap = Math.max(gap, Math.abs(ai - (vb[i] as number)) / Math.max(1, Math.abs(ai)));
  }
  return gap;
}

async function values(tensor: tf.Tensor): Promise<number[]> {
  return [...(await tensor.data())];
}

function layerUnits(model: tfl.LayersModel, name: string): number {
  const config = model.getLayer(name).getConfig();
  return (config['units'] ?? config['filters']) as number;
}

const ALIVE = [3, 10, 17, 25, 40, 51, 63];
const DEAD = Array.from({ length: 64 }, (_, j) => j).filter((j) => !ALIVE.includes(j));
const UNUSED = [2, 9, 30, 44, 60];

function mlp(activation: 'tanh' | 'relu'): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 64, inputShape: [20], activation, name: 'hidden1' }),
      tfl.layers.dense({ units: 64, activation, name: 'hidden2' }),
      tfl.layers.dense({ units: 3, name: 'out' }),
    ],
  });
  fill(model.getLayer('hidden1'), 1, (i, v, s) => (i === 0 ? zeroColumns(v, s, DEAD) : undefined));
  fill(model.getLayer('hidden2'), 2, () => {}, 0.3);
  fill(model.getLayer('out'), 3, (i, v, s) => (i === 0 ? zeroRows(v, s, UNUSED) : undefined));
  return model;
}

describe('shrinkModel', () => {
  for (const activation of ['tanh', 'relu'] as const) {
    it(`Dense ${activation}: 57 dead units fold into the next bias, 5 unused units go, outputs stay`, async () => {
      const model = mlp(activation);
      const x = tf.randomNormal([50, 20], 0, 1, 'float32', 11);
      const { model: shrunk, removed, parameters } = await shrinkModel(model);
      expect(layerUnits(shrunk, 'hidden1')).toBe(7);
      expect(layerUnits(shrunk, 'hidden2')).toBe(59);
      expect(layerUnits(shrunk, 'out')).toBe(3);
      expect(removed).toEqual([
        { layer: 'hidden1', units: 57, of: 64 },
        { layer: 'hidden2', units: 5, of: 64 },
        { layer: 'out', units: 0, of: 3 },
      ]);
      expect(parameters).toEqual({
        before: 20 * 64 + 64 + 64 * 64 + 64 + 64 * 3 + 3,
        after: 20 * 7 + 7 + 7 * 59 + 59 + 59 * 3 + 3,
      });
      expect(shrunk.countParams()).toBe(parameters.after);
      // the kept units' incoming weights are the original columns, in order
      const before = await values(model.getLayer('hidden1').getWeights()[0] as tf.Tensor);
      const after = await values(shrunk.getLayer('hidden1').getWeights()[0] as tf.Tensor);
      expect(after).toEqual(
        Array.from({ length: 20 * 7 }, (_, e) => before[Math.floor(e / 7) * 64 + ALIVE[e % 7]!]),
      );
      expect(await outputGap(model, shrunk, x)).toBeLessThan(1e-5);
      // without the bias fold the dead units' constants would be missing
      const shrunkBias = await values(shrunk.getLayer('hidden2').getWeights()[1] as tf.Tensor);
      const originalBias = await values(model.getLayer('hidden2').getWeights()[1] as tf.Tensor);
      const kept = Array.from({ length: 64 }, (_, j) => j).filter((j) => !UNUSED.includes(j));
      expect(shrunkBias).not.toEqual(kept.map((j) => originalBias[j]));
      tf.dispose(x);
      shrunk.dispose();
      model.dispose();
    });
  }

  for (const padding of ['valid', 'same'] as const) {
    it(`Conv2D → MaxPooling2D → Conv2D '${padding}': ${padding === 'valid' ? 'every dead filter folds' : 'only dead filters with constant 0 go'}, unused go`, async () => {
      const model = tfl.sequential({
        layers: [
          tfl.layers.conv2d({
            filters: 6,
            kernelSize: 3,
            padding: 'same',
            activation: 'relu',
            inputShape: [9, 9, 2],
            name: 'c1',
          }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding, name: 'c2' }),
        ],
      });
      // dead filters 1 (relu(0.5) = 0.5), 3 (relu(−0.3) = 0) and 4 (0.2); filter 5 unused by c2
      fill(model.getLayer('c1'), 4, (i, v, s) => {
        if (i === 0) zeroColumns(v, s, [1, 3, 4]);
        else [v[1], v[3], v[4]] = [0.5, -0.3, 0.2];
      });
      fill(model.getLayer('c2'), 5, (i, v, s) => (i === 0 ? zeroRows(v, s, [5]) : undefined));
      const { model: shrunk, removed } = await shrinkModel(model);
      const keptFilters = padding === 'valid' ? [0, 2] : [0, 1, 2, 4];
      expect(layerUnits(shrunk, 'c1')).toBe(keptFilters.length);
      expect(removed).toEqual([
        { layer: 'c1', units: 6 - keptFilters.length, of: 6 },
        { layer: 'c2', units: 0, of: 4 },
      ]);
      expect(shrunk.getLayer('c2').getWeights()[0]!.shape).toEqual([3, 3, keptFilters.length, 4]);
      const bias = await values(shrunk.getLayer('c1').getWeights()[1] as tf.Tensor);
      const original = await values(model.getLayer('c1').getWeights()[1] as tf.Tensor);
      expect(bias).toEqual(keptFilters.map((f) => original[f]));
      const x = tf.randomNormal([6, 9, 9, 2], 0, 1, 'float32', 12);
      expect(await outputGap(model, shrunk, x)).toBeLessThan(1e-5);
      tf.dispose(x);
      shrunk.dispose();
      model.dispose();
    });
  }

  it('Conv2D → BatchNormalization → ReLU → MaxPooling2D → Flatten → Dropout → Dense: BN loses the channels, Dense loses positions × filters rows', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ filters: 5, kernelSize: 3, inputShape: [6, 6, 1], name: 'c' }),
        tfl.layers.batchNormalization({ name: 'bn' }),
        tfl.layers.reLU(),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.3 }),
        tfl.layers.dense({ units: 3, name: 'out' }),
      ],
    });
    fill(model.getLayer('c'), 6, (i, v, s) => (i === 0 ? zeroColumns(v, s, [0, 3]) : undefined));
    // gamma, beta, moving mean, moving variance (positive)
    fill(model.getLayer('bn'), 7, (i, v) => {
      if (i === 3) for (let c = 0; c < v.length; c++) v[c] = 0.5 + Math.abs(v[c] as number);
    });
    fill(model.getLayer('out'), 8);
    const { model: shrunk, removed, parameters } = await shrinkModel(model);
    const kept = [1, 2, 4];
    expect(removed).toEqual([
      { layer: 'c', units: 2, of: 5 },
      { layer: 'out', units: 0, of: 3 },
    ]);
    const bnBefore = model.getLayer('bn').getWeights();
    const bnAfter = shrunk.getLayer('bn').getWeights();
    expect(bnAfter.map((w) => w.shape)).toEqual([[3], [3], [3], [3]]);
    for (let w = 0; w < 4; w++) {
      const original = await values(bnBefore[w] as tf.Tensor);
      expect(await values(bnAfter[w] as tf.Tensor)).toEqual(kept.map((c) => original[c]));
    }
    // 2×2 positions after pooling: feature p·5 + f → p·3 + rank of f
    const dense = await values(model.getLayer('out').getWeights()[0] as tf.Tensor);
    const shrunkDense = shrunk.getLayer('out').getWeights()[0] as tf.Tensor;
    expect(shrunkDense.shape).toEqual([4 * 3, 3]);
    const rows = [0, 1, 2, 3].flatMap((p) => kept.map((f) => p * 5 + f));
    expect(await values(shrunkDense)).toEqual(
      rows.flatMap((r) => [0, 1, 2].map((k) => dense[r * 3 + k])),
    );
    expect(parameters.before - parameters.after).toBe(2 * (9 + 1) + 2 * 4 + 4 * 2 * 3);
    const x = tf.randomNormal([8, 6, 6, 1], 0, 1, 'float32', 13);
    expect(await outputGap(model, shrunk, x)).toBeLessThan(1e-5);
    tf.dispose(x);
    shrunk.dispose();
    model.dispose();
  });

  it('Conv2D → AveragePooling2D (same) → GlobalAveragePooling2D → Dense: a dead filter folds', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'tanh',
          inputShape: [5, 5, 2],
          name: 'c',
        }),
        tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: 2, name: 'out' }),
      ],
    });
    fill(model.getLayer('c'), 9, (i, v, s) => (i === 0 ? zeroColumns(v, s, [2]) : undefined));
    fill(model.getLayer('out'), 10);
    const { model: shrunk } = await shrinkModel(model);
    expect(layerUnits(shrunk, 'c')).toBe(3);
    expect(shrunk.getLayer('out').getWeights()[0]!.shape).toEqual([3, 2]);
    const x = tf.randomNormal([4, 5, 5, 2], 0, 1, 'float32', 14);
    expect(await outputGap(model, shrunk, x)).toBeLessThan(1e-5);
    tf.dispose(x);
    shrunk.dispose();
    model.dispose();
  });

  it('cascades both ways until nothing changes: removals make next-layer units dead and earlier units unused', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 5, inputShape: [6], activation: 'tanh', name: 'l1' }),
        tfl.layers.dense({ units: 4, activation: 'tanh', name: 'l2' }),
        tfl.layers.dense({ units: 2, name: 'out' }),
      ],
    });
    // l1: units 0, 1 dead. l2: unit 0 reads only l1's units 0, 1; l1's unit 2 feeds only l2's unit 3.
    // out: l2's unit 3 unused. Pass 1 removes l1 {0, 1} and l2 {3}; then l2's unit 0 is dead and
    // l1's unit 2 unused; pass 2 removes them.
    fill(model.getLayer('l1'), 15, (i, v, s) => (i === 0 ? zeroColumns(v, s, [0, 1]) : undefined));
    fill(model.getLayer('l2'), 16, (i, v) => {
      if (i !== 0) return;
      for (const r of [2, 3, 4]) v[r * 4] = 0;
      for (const c of [0, 1, 2]) v[2 * 4 + c] = 0;
    });
    fill(model.getLayer('out'), 17, (i, v, s) => (i === 0 ? zeroRows(v, s, [3]) : undefined));
    const { model: shrunk, removed, parameters } = await shrinkModel(model);
    expect(removed).toEqual([
      { layer: 'l1', units: 3, of: 5 },
      { layer: 'l2', units: 2, of: 4 },
      { layer: 'out', units: 0, of: 2 },
    ]);
    expect(parameters.after).toBe(6 * 2 + 2 + 2 * 2 + 2 + 2 * 2 + 2);
    const x = tf.randomNormal([30, 6], 0, 1, 'float32', 18);
    expect(await outputGap(model, shrunk, x)).toBeLessThan(1e-5);
    tf.dispose(x);
    shrunk.dispose();
    model.dispose();
  });

  it('a consumer without a bias gets one to hold a folded constant', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 4, inputShape: [3], activation: 'tanh', name: 'h' }),
        tfl.layers.dense({ units: 2, useBias: false, name: 'out' }),
      ],
    });
    fill(model.getLayer('h'), 19, (i, v, s) => (i === 0 ? zeroColumns(v, s, [1]) : (v[1] = 0.7)));
    fill(model.getLayer('out'), 20);
    const { model: shrunk, parameters } = await shrinkModel(model);
    expect(layerUnits(shrunk, 'h')).toBe(3);
    expect(
      shrunk
        .getLayer('out')
        .getWeights()
        .map((w) => w.shape),
    ).toEqual([[3, 2], [2]]);
    expect(parameters).toEqual({ before: 3 * 4 + 4 + 4 * 2, after: 3 * 3 + 3 + 3 * 2 + 2 });
    const x = tf.randomNormal([20, 3], 0, 1, 'float32', 21);
    expect(await outputGap(model, shrunk, x)).toBeLessThan(1e-5);
    tf.dispose(x);
    shrunk.dispose();
    model.dispose();
  });

  it('residual model: units feeding an Add are kept, the simple chain before it shrinks', async () => {
    const input = tfl.input({ shape: [8] });
    const a = tfl.layers.dense({ units: 8, activation: 'relu', name: 'a' }).apply(input);
    const b = tfl.layers.dense({ units: 8, name: 'b' }).apply(a);
    const sum = tfl.layers.add().apply([b, input] as tfl.SymbolicTensor[]);
    const out = tfl.layers.dense({ units: 3, name: 'out' }).apply(sum) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    fill(model.getLayer('a'), 22, (i, v, s) => (i === 0 ? zeroColumns(v, s, [1, 5]) : undefined));
    fill(model.getLayer('b'), 23, (i, v, s) =>
      i === 0 ? zeroColumns(v, s, [0, 2, 7]) : undefined,
    );
    fill(model.getLayer('out'), 24);
    const { model: shrunk, removed } = await shrinkModel(model);
    expect(removed).toEqual([
      { layer: 'a', units: 2, of: 8 },
      { layer: 'b', units: 0, of: 8 },
      { layer: 'out', units: 0, of: 3 },
    ]);
    const x = tf.randomNormal([25, 8], 0, 1, 'float32', 25);
    expect(await outputGap(model, shrunk, x)).toBeLessThan(1e-5);
    tf.dispose(x);
    shrunk.dispose();
    model.dispose();
  });

  it('rejects a model that still has spred layers', async () => {
    const model = mlp('tanh');
    const sparse = await spredify(model, { kappa: 1e-3, structure: 'neurons' });
    await expect(shrinkModel(sparse)).rejects.toThrow(SpredInputError);
    await expect(shrinkModel(sparse)).rejects.toThrow(/collapse it first/);
    sparse.dispose();
    model.dispose();
  });

  it('leaves the input model as it was and leaks no tensors', async () => {
    const model = mlp('relu');
    const weightsBefore = await Promise.all(model.getWeights().map(values));
    const start = tf.memory().numTensors;
    const { model: shrunk } = await shrinkModel(model);
    expect(tf.memory().numTensors - start).toBe(shrunk.weights.length);
    expect(await Promise.all(model.getWeights().map(values))).toEqual(weightsBefore);
    shrunk.dispose();
    expect(tf.memory().numTensors).toBe(start);
    // a model with nothing to remove gives a fresh copy, and no leak either
    const dense = tfl.sequential({
      layers: [tfl.layers.dense({ units: 3, inputShape: [2], name: 'only' })],
    });
    const copy = await shrinkModel(dense);
    expect(copy.model).not.toBe(dense);
    expect(copy.removed).toEqual([{ layer: 'only', units: 0, of: 3 }]);
    copy.model.dispose();
    expect(tf.memory().numTensors).toBe(start + dense.weights.length);
    dense.dispose();
    model.dispose();
  });
});
