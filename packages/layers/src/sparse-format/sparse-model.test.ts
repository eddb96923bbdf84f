import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { SpredInputError, fisherYates, mulberry32, type UniformSource } from '@spredjs/core';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
import { spredify } from '../convert-model.js';
import { decodeSparseModel } from './decode-sparse-model.js';
import { encodeSparseModel } from './encode-sparse-model.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';
import type { SparseModelFiles, SparseWeightSpec } from './sparse-model-json.js';

const halfRounding = (x: number) => float16BitsToFloat32(float32ToFloat16Bits(x));

/** Values in ±1 with exact zeros where `uniform() ≥ density`. */
function sparseValues(size: number, density: number, uniform: UniformSource): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = uniform() < density ? uniform() * 2 - 1 : 0;
  return values;
}

/** Values in ±1 at exactly `count` entries chosen by Fisher–Yates, zero elsewhere. */
function exactlySparse(size: number, count: number, uniform: UniformSource): Float32Array {
  const order = fisherYates(
    Int32Array.from({ length: size }, (_, i) => i),
    uniform,
  );
  const values = new Float32Array(size);
  for (let k = 0; k < count; k++) values[order[k] as number] = (uniform() * 2 - 1) * 0.8 + 0.1;
  return values;
}

/**
 * Conv2D → BatchNormalization → Flatten → Dense → Dense, every kernel ~90% exact zeros (set by
 * hand), biases and batch-norm parameters dense and non-zero.
 */
function convNet(seed: number): tfl.LayersModel {
  const model = tfl.sequential({
    name: 'net',
    layers: [
      tfl.layers.conv2d({
        name: 'conv',
        filters: 6,
        kernelSize: 3,
        inputShape: [8, 8, 2],
        activation: 'relu',
      }),
      tfl.layers.batchNormalization({ name: 'norm' }),
      tfl.layers.flatten({ name: 'flat' }),
      tfl.layers.dense({ name: 'hidden', units: 20, activation: 'relu' }),
      tfl.layers.dense({ name: 'logits', units: 3 }),
    ],
  });
  const uniform = mulberry32(seed);
  const weights = model.weights.map((w) => {
    const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    const name = w.originalName;
    let values: Float32Array;
    if (name.endsWith('/kernel')) values = sparseValues(size, 0.1, uniform);
    else if (name.endsWith('moving_variance'))
      values = Float32Array.from({ length: size }, () => 0.5 + uniform());
    else values = Float32Array.from({ length: size }, () => uniform() - 0.5);
    return tf.tensor(values, w.shape as number[]);
  });
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** Every weight of a model, read with `await data()`, by name. */
async function weightsOf(model: tfl.LayersModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  const values = model.getWeights();
  for (let i = 0; i < values.length; i++) {
    out.set(
      (model.weights[i] as tfl.LayersModel['weights'][number]).originalName,
      (await (values[i] as tf.Tensor).data()) as Float32Array,
    );
  }
  return out;
}

async function predict(model: tfl.LayersModel, x: tf.Tensor): Promise<Float32Array> {
  const y = model.predict(x) as tf.Tensor;
  const out = (await y.data()) as Float32Array;
  y.dispose();
  return out;
}

const specOf = (files: SparseModelFiles, name: string) =>
  files.json.weights.find((w) => w.name === name) as SparseWeightSpec;

describe('encodeSparseModel / decodeSparseModel', () => {
  const x = tf.randomNormal([4, 8, 8, 2], 0, 1, 'float32', 7);

  it("with values 'float32' gives back every weight bit for bit, so the same predictions", async () => {
    const model = convNet(1);
    const files = await encodeSparseModel(model, { values: 'float32' });
    const copy = await decodeSparseModel(files);
    expect(copy.layers.map((l) => l.getClassName())).toEqual(
      model.layers.map((l) => l.getClassName()),
    );
    const before = await weightsOf(model);
    const after = await weightsOf(copy);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, values] of before) expect(after.get(name)).toEqual(values);
    expect(await predict(copy, x)).toEqual(await predict(model, x));
    // The header: tfjs's topology and weight names, in tfjs's order.
    expect(files.json.modelTopology).toEqual(model.toJSON(null, false));
    expect(files.json.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.originalName));
    expect(files.json.byteLength).toBe(files.weights.length);
    model.dispose();
    copy.dispose();
  });

  it("with values 'float16' gives every weight its float16 rounding exactly, zeros exactly zero", async () => {
    const model = convNet(2);
    const files = await encodeSparseModel(model); // float16 is the default
    expect(new Set(files.json.weights.map((w) => w.values))).toEqual(new Set(['float16']));
    const copy = await decodeSparseModel(files);
    const before = await weightsOf(model);
    const after = await weightsOf(copy);
    let zeros = 0;
    for (const [name, values] of before) {
      const decoded = after.get(name) as Float32Array;
      expect(decoded.length).toBe(values.length);
      for (let i = 0; i < values.length; i++) {
        const expected = halfRounding(values[i] as number);
        if (decoded[i] !== expected) expect([name, i, decoded[i]]).toEqual([name, i, expected]);
        if (values[i] === 0) {
          zeros += 1;
          if (decoded[i] !== 0) expect([name, i, decoded[i]]).toEqual([name, i, 0]);
        }
      }
    }
    expect(zeros).toBeGreaterThan(1000); // the kernels' ~90% zeros were there to keep
    // Predictions: half precision's relative 2⁻¹¹ per weight keeps outputs within 1e-2 · max|y|.
    const yModel = await predict(model, x);
    const yCopy = await predict(copy, x);
    const scale = Math.max(1, ...Array.from(yModel, Math.abs));
    for (let i = 0; i < yModel.length; i++) {
      expect(Math.abs((yCopy[i] as number) - (yModel[i] as number))).toBeLessThanOrEqual(
        1e-2 * scale,
      );
    }
    expect(yCopy).not.toEqual(yModel); // rounding did happen: the check above is not vacuous
    model.dispose();
    copy.dispose();
  });

  it("with values 'uint8' keeps every weight within scale / 2 and every zero exactly zero", async () => {
    const model = convNet(3);
    const files = await encodeSparseModel(model, { values: 'uint8' });
    const copy = await decodeSparseModel(files);
    const before = await weightsOf(model);
    const after = await weightsOf(copy);
    for (const [name, values] of before) {
      const spec = specOf(files, name);
      expect(spec.values).toBe('uint8');
      const scale = spec.scale as number;
      expect(scale).toBeGreaterThan(0);
      const decoded = after.get(name) as Float32Array;
      let worst = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        if (v === 0) expect(decoded[i]).toBe(0);
        // scale / 2 from the grid, plus float32's rounding of the decoded value.
        worst = Math.max(worst, Math.abs((decoded[i] as number) - v) - Math.abs(v) * 2 ** -24);
      }
      expect(worst).toBeLessThanOrEqual(scale / 2 + 1e-12);
      expect(worst).toBeGreaterThan(scale / 100); // it is quantized: the bound is not vacuous
    }
    model.dispose();
    copy.dispose();
  });

  it('chooses the smallest positions: delta at 99% zeros, a bitmap at 50%, dense for a bias', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 100, inputShape: [300], name: 'sparse99' }),
        tfl.layers.dense({ units: 100, name: 'sparse50' }),
      ],
    });
    const uniform = mulberry32(4);
    const kernel99 = exactlySparse(30000, 300, uniform);
    const kernel50 = exactlySparse(10000, 5000, uniform);
    const bias = Float32Array.from({ length: 100 }, () => uniform() + 0.01);
    const weights = [
      tf.tensor(kernel99, [300, 100]),
      tf.tensor(bias, [100]),
      tf.tensor(kernel50, [100, 100]),
      tf.tensor(bias, [100]),
    ];
    model.setWeights(weights);
    tf.dispose(weights);
    const files = await encodeSparseModel(model);
    const positions = files.json.weights.map((w) => [w.name, w.positions, w.nonzeros]);
    expect(positions).toEqual([
      ['sparse99/kernel', 'delta', 300],
      ['sparse99/bias', 'dense', 100],
      ['sparse50/kernel', 'bitmap', 5000],
      ['sparse50/bias', 'dense', 100],
    ]);
    // The byte counts the format defines: varint gaps + 2 bytes a value; bitmap bits + values.
    let gapBytes = 0;
    let previous = 0;
    kernel99.forEach((v, i) => {
      if (v === 0) return;
      const gap = i - previous;
      gapBytes += gap < 2 ** 7 ? 1 : gap < 2 ** 14 ? 2 : 3;
      previous = i;
    });
    const lengths = files.json.weights.map((w) => w.byteLength);
    expect(lengths).toEqual([gapBytes + 300 * 2, 100 * 2, 10000 / 8 + 5000 * 2, 100 * 2]);
    model.dispose();
  });

  it('stores a 99%-sparse 300 × 100 kernel in a small fraction of its 120,000 float32 bytes', async () => {
    const sizes: Record<string, number> = {};
    for (const [label, nonzeros] of [
      ['99%', 300],
      ['90%', 3000],
    ] as const) {
      const model = tfl.sequential({
        layers: [tfl.layers.dense({ units: 100, inputShape: [300], useBias: false })],
      });
      const kernel = tf.tensor(exactlySparse(30000, nonzeros, mulberry32(5)), [300, 100]);
      model.setWeights([kernel]);
      kernel.dispose();
      for (const values of ['float16', 'uint8', 'float32'] as const) {
        const files = await encodeSparseModel(model, { values });
        sizes[`${label} ${values}`] = files.weights.length;
        // Positions: at most a bitmap (3750 bytes) or 2 bytes a varint gap (gaps < 2¹⁴ at these
        // densities); values: their width each.
        const width = values === 'float32' ? 4 : values === 'float16' ? 2 : 1;
        const bound = Math.min(3750, 2 * nonzeros) + nonzeros * width;
        expect(files.weights.length).toBeLessThanOrEqual(bound);
      }
      model.dispose();
    }
    expect(sizes['99% float16']).toBeLessThanOrEqual(1500); // vs 120,000 bytes as float32
    expect(sizes['90% float16']).toBeLessThanOrEqual(3750 + 6000);
    // Measured: 99% → 991 bytes (float16), 691 (uint8), 1591 (float32); 90% → 9000, 6000, 15000.
  });

  it('leaks no tensor: only the returned model’s weights remain', async () => {
    const model = convNet(6);
    const before = tf.memory().numTensors;
    const files = await encodeSparseModel(model);
    expect(tf.memory().numTensors).toBe(before);
    const copy = await decodeSparseModel(files);
    expect(tf.memory().numTensors - before).toBe(copy.weights.length);
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // A refused file leaves nothing behind either: the model built from its topology is disposed.
    const renamed = structuredClone(files.json);
    (renamed.weights[0] as { name: string }).name = 'other/kernel';
    await expect(decodeSparseModel({ json: renamed, weights: files.weights })).rejects.toThrow(
      new SpredInputError(
        "model.spred.json: the topology's model has weight conv/kernel, which the file does not hold",
      ),
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('reads only asynchronously: encode and decode give on an async-only backend what they give on cpu', async () => {
    const run = async () => {
      const model = convNet(7);
      const files = await encodeSparseModel(model);
      const copy = await decodeSparseModel(files);
      const xs = tf.ones([2, 8, 8, 2]);
      const y = await predict(copy, xs);
      xs.dispose();
      model.dispose();
      copy.dispose();
      return {
        json: JSON.stringify(files.json),
        weights: Array.from(files.weights),
        y: Array.from(y),
      };
    };
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(run);
    expect(asyncOnly).toEqual(cpu);
  });

  it('round-trips a model of spred layers (SpredDense, SpredConv2D), registered as for tf.loadLayersModel', async () => {
    const model = convNet(8);
    const spred = await spredify(model, { kappa: 0.01 });
    expect(spred.layers.map((l) => l.getClassName())).toEqual([
      'SpredConv2D',
      'BatchNormalization',
      'Flatten',
      'SpredDense',
      'SpredDense',
    ]);
    const copy = await decodeSparseModel(await encodeSparseModel(spred, { values: 'float32' }));
    expect(copy.layers.map((l) => l.getClassName())).toEqual(
      spred.layers.map((l) => l.getClassName()),
    );
    expect(await predict(copy, x)).toEqual(await predict(spred, x));
    for (const m of [model, spred, copy]) m.dispose();
  });

  it('refuses weights it cannot store faithfully, naming the tensor', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 2, inputShape: [2], name: 'big' })],
    });
    const kernel = tf.tensor([
      [1, 70000],
      [0, 0],
    ]);
    model.setWeights([kernel, tf.zeros([2])]);
    await expect(encodeSparseModel(model)).rejects.toThrow(
      new SpredInputError(
        "tensor big/kernel: value 70000 overflows float16 (largest finite 65504); encode with values: 'float32'",
      ),
    );
    // float32 stores it; a NaN is refused under every encoding.
    const files = await encodeSparseModel(model, { values: 'float32' });
    expect(specOf(files, 'big/kernel').nonzeros).toBe(2);
    model.setWeights([
      tf.tensor([
        [1, NaN],
        [0, 0],
      ]),
      tf.zeros([2]),
    ]);
    await expect(encodeSparseModel(model, { values: 'uint8' })).rejects.toThrow(
      /tensor big\/kernel: entry 1 is NaN/,
    );
    tf.dispose(kernel);
    model.dispose();
  });
});
