import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { SpredInputError, fisherYates, mulberry32, type UniformSource } from '@spredjs/core';
import { decodeSparseModel } from './decode-sparse-model.js';
import { encodeSparseModel } from './encode-sparse-model.js';
import type {
  SparseModelFiles,
  SparseModelJson,
  SparseValueEncoding,
} from './sparse-model-json.js';

/** Values in ±1 at exactly `count` entries chosen by Fisher–Yates, zero elsewhere. */
function exactlySparse(size: number, count: number, uniform: UniformSource): Float32Array {
  const order = fisherYates(
    Int32Array.from({ length: size }, (_, i) => i),
    uniform,
  );
  const values = new Float32Array(size);
  for (let k = 0; k < count; k++) values[order[k] as number] = uniform() * 2 - 1;
  return values;
}

/** A small model whose file holds every encoding: a delta kernel, a bitmap kernel, dense biases. */
function smallModel(): tfl.LayersModel {
  const model = tfl.sequential({
    name: 'small',
    layers: [
      tfl.layers.dense({ name: 'dense_1', units: 30, inputShape: [40], activation: 'relu' }),
      tfl.layers.dense({ name: 'dense_2', units: 8 }),
    ],
  });
  const uniform = mulberry32(11);
  const weights = [
    tf.tensor(exactlySparse(1200, 12, uniform), [40, 30]), // 99% zeros: delta
    tf.tensor(Float32Array.from({ length: 30 }, () => uniform() + 0.1)), // dense
    tf.tensor(exactlySparse(240, 120, uniform), [30, 8]), // 50% zeros: bitmap
    tf.tensor(Float32Array.from({ length: 8 }, () => uniform() - 0.5)), // dense
  ];
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

const EXPECTED_SHAPES = [[40, 30], [30], [30, 8], [8]];

type Outcome = 'decoded' | 'refused';

/**
 * Decodes `files`: either a model whose every weight is finite with the topology's shapes, or a
 * one-line SpredInputError; anything else fails the test.
 */
async function decodeOrRefuse(files: SparseModelFiles, what: string): Promise<Outcome> {
  let model: tfl.LayersModel;
  try {
    model = await decodeSparseModel(files);
  } catch (error) {
    if (!(error instanceof SpredInputError)) {
      throw new Error(`${what}: expected a SpredInputError, got ${String(error)}`);
    }
    expect(error.message).not.toContain('\n');
    return 'refused';
  }
  try {
    const weights = model.getWeights();
    expect(weights.map((w) => w.shape)).toEqual(EXPECTED_SHAPES);
    for (const w of weights) {
      const values = await w.data();
      if (!values.every(Number.isFinite)) throw new Error(`${what}: decoded a non-finite weight`);
    }
  } finally {
    model.dispose();
  }
  return 'decoded';
}

const withHeader = (files: SparseModelFiles, json: unknown): SparseModelFiles => ({
  json: JSON.parse(JSON.stringify(json)) as SparseModelJson,
  weights: files.weights,
});

describe('a compact sparse model file is checked before it is decoded', () => {
  const model = smallModel();
  const files = (values: SparseValueEncoding = 'float16') => encodeSparseModel(model, { values });

  it('encodes the fixture with every position encoding (so the fuzzing below reaches each)', async () => {
    const { json } = await files();
    expect(json.weights.map((w) => w.positions)).toEqual(['delta', 'dense', 'bitmap', 'dense']);
    expect(await decodeOrRefuse(await files(), 'the valid file')).toBe('decoded');
  });

  it('refuses a truncated weights file at 200 random lengths, the header corrected or not', async () => {
    const uniform = mulberry32(21);
    for (const values of ['float16', 'uint8'] as const) {
      const valid = await files(values);
      for (let trial = 0; trial < 100; trial++) {
        const length = Math.floor(uniform() * valid.weights.length);
        const weights = valid.weights.slice(0, length);
        await expect(decodeSparseModel({ json: valid.json, weights })).rejects.toThrow(
          new SpredInputError(
            `model.spred.bin: the file has ${length} bytes, the header says ${valid.weights.length}`,
          ),
        );
        // With the header's total corrected, the tensors' own checks must catch it.
        const json = { ...valid.json, byteLength: length };
        expect(await decodeOrRefuse({ json, weights }, `truncated at ${length}`)).toBe('refused');
      }
    }
  });

  it('decodes or refuses, never crashes, under 500 random byte flips', async () => {
    const uniform = mulberry32(22);
    const counts: Record<Outcome, number> = { decoded: 0, refused: 0 };
    for (const values of ['float16', 'uint8', 'float32'] as const) {
      const valid = await files(values);
      const trials = values === 'float16' ? 300 : 100;
      for (let trial = 0; trial < trials; trial++) {
        const weights = valid.weights.slice();
        const flips = 1 + Math.floor(uniform() * 3);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(uniform() * weights.length);
          weights[at] = (weights[at] as number) ^ (1 + Math.floor(uniform() * 255));
        }
        counts[await decodeOrRefuse({ json: valid.json, weights }, `flips in trial ${trial}`)] += 1;
      }
    }
    // Both outcomes occur: flipped values decode (finite), broken positions are refused.
    expect(counts.decoded).toBeGreaterThan(50);
    expect(counts.refused).toBeGreaterThan(50);
  });

  it('refuses header numbers that are huge, negative, fractional or not numbers, before allocating them', async () => {
    const valid = await files('uint8');
    const bad: unknown[] = [2 ** 40, -1, 1e300, 'NaN', 2 ** 53, 1.5, null, '12', [3], 2 ** 28 + 1];
    const decoded: string[] = [];
    const mutants: [string, unknown][] = [];
    for (const value of bad) {
      mutants.push([`byteLength = ${String(value)}`, { ...valid.json, byteLength: value }]);
      valid.json.weights.forEach((spec, i) => {
        for (const field of ['byteLength', 'nonzeros', 'byteOffset', 'scale', 'offset'] as const) {
          const weights = valid.json.weights.map((w, j) =>
            j === i ? { ...w, [field]: value } : w,
          );
          mutants.push([`weights[${i}].${field} = ${String(value)}`, { ...valid.json, weights }]);
        }
        for (let d = 0; d < spec.shape.length; d++) {
          const shape = spec.shape.map((extent, e) => (e === d ? value : extent));
          const weights = valid.json.weights.map((w, j) => (j === i ? { ...w, shape } : w));
          mutants.push([
            `weights[${i}].shape[${d}] = ${String(value)}`,
            { ...valid.json, weights },
          ]);
        }
      });
    }
    for (const [what, json] of mutants) {
      const outcome = await decodeOrRefuse(withHeader(valid, json), what);
      if (outcome === 'decoded') decoded.push(what);
    }
    // Only a uint8 map moved to other finite numbers still decodes (to finite weights, checked):
    // every other mutant is refused.
    const mapMoved =
      /^weights\[\d\]\.(scale|offset) = (-1|1\.5|1099511627776|9007199254740992|268435457)$/;
    expect(decoded.filter((what) => !mapMoved.test(what))).toEqual([]);
    expect(mutants.length - decoded.length).toBeGreaterThan(200);
  });

  it('says which tensor is wrong and how', async () => {
    const valid = await files();
    const edit = (i: number, change: Record<string, unknown>) =>
      withHeader(valid, {
        ...valid.json,
        weights: valid.json.weights.map((w, j) => (j === i ? { ...w, ...change } : w)),
      });
    const refusal = async (f: SparseModelFiles) => {
      try {
        await decodeSparseModel(f);
      } catch (error) {
        expect(error).toBeInstanceOf(SpredInputError);
        return (error as Error).message;
      }
      throw new Error('decoded');
    };
    const bitmap = valid.json.weights[2]!;
    expect(await refusal(edit(2, { nonzeros: bitmap.nonzeros - 1 }))).toBe(
      // Fewer nonzeros also means fewer value bytes: the length check speaks first.
      `model.spred.bin: tensor dense_2/kernel: takes ${bitmap.byteLength} bytes, its bitmap encoding of 119 float16 values needs ${bitmap.byteLength - 2}`,
    );
    // One more bit set in the bitmap (its first clear bit), the lengths unchanged.
    const weights = valid.weights.slice();
    let at = bitmap.byteOffset;
    while (weights[at] === 0xff) at += 1;
    const byte = weights[at] as number;
    weights[at] = byte | (~byte & (byte + 1));
    expect(await refusal({ json: valid.json, weights })).toBe(
      'model.spred.bin: tensor dense_2/kernel: bitmap has 121 set bits, header says 120 nonzeros',
    );
    expect(await refusal(edit(0, { shape: [30, 40] }))).toBe(
      "model.spred.json: tensor dense_1/kernel: shape [30, 40], the topology's model expects [40, 30]",
    );
    // A promise of 2²⁸ entries (1 GiB) that the bin's 12 delta positions fit: refused by the
    // topology before any array of that size exists.
    expect(await refusal(edit(0, { shape: [2 ** 14, 2 ** 14] }))).toBe(
      "model.spred.json: tensor dense_1/kernel: shape [16384, 16384], the topology's model expects [40, 30]",
    );
    expect(await refusal(edit(0, { shape: [2 ** 40, 1] }))).toBe(
      'model.spred.json: tensor dense_1/kernel: shape[0] = 1099511627776 exceeds 268435456',
    );
    expect(await refusal(edit(0, { nonzeros: 'NaN' }))).toBe(
      'model.spred.json: tensor dense_1/kernel: nonzeros must be a non-negative safe integer, got "NaN"',
    );
    expect(await refusal(edit(1, { byteOffset: 2 ** 40 }))).toMatch(
      /^model\.spred\.bin: tensor dense_1\/bias: bytes 1099511627776 … \d+ lie beyond the file's \d+ bytes$/,
    );
    expect(await refusal(edit(1, { byteOffset: 0 }))).toBe(
      'model.spred.bin: tensors dense_1/kernel and dense_1/bias overlap',
    );
    expect(await refusal(edit(1, { name: 'dense_9/bias' }))).toBe(
      "model.spred.json: the topology's model has weight dense_1/bias, which the file does not hold",
    );
    expect(await refusal(withHeader(valid, { ...valid.json, version: 2 }))).toBe(
      'model.spred.json: version 2 is not supported (this reader reads version 1)',
    );
    expect(await refusal(withHeader(valid, { ...valid.json, weightsFile: '../secret.bin' }))).toBe(
      'model.spred.json: weightsFile must be a plain file name (no folders), got "../secret.bin"',
    );
    // A float16 ∞ among the stored values.
    const inf = valid.weights.slice();
    const bias = valid.json.weights[1]!;
    inf[bias.byteOffset] = 0x00;
    inf[bias.byteOffset + 1] = 0x7c;
    expect(await refusal({ json: valid.json, weights: inf })).toBe(
      'model.spred.bin: tensor dense_1/bias: stored value 0 is Infinity',
    );
  });

  it('checks delta positions: in range, strictly increasing, varints of at most 5 bytes', async () => {
    // A one-tensor model: a 10 × 10 kernel with 2 stored float32 values, positions hand-written.
    const tiny = tfl.sequential({
      name: 'tiny',
      layers: [tfl.layers.dense({ name: 'd', units: 10, inputShape: [10], useBias: false })],
    });
    const valid = await encodeSparseModel(tiny, { values: 'float32' });
    tiny.dispose();
    const file = (positions: number[]) => {
      const weights = new Uint8Array(positions.length + 8);
      weights.set(positions);
      new DataView(weights.buffer).setFloat32(positions.length, 0.5, true);
      new DataView(weights.buffer).setFloat32(positions.length + 4, -0.25, true);
      const spec = {
        ...valid.json.weights[0]!,
        positions: 'delta',
        nonzeros: 2,
        byteLength: weights.length,
      };
      return withHeader(
        { json: valid.json, weights },
        { ...valid.json, byteLength: weights.length, weights: [spec] },
      );
    };
    const decoded = await decodeSparseModel(file([3, 90]));
    expect(
      Array.from(await decoded.getWeights()[0]!.data()).flatMap((v, i) =>
        v === 0 ? [] : [[i, v]],
      ),
    ).toEqual([
      [3, 0.5],
      [93, -0.25],
    ]);
    decoded.dispose();
    const refusal = (positions: number[]) => decodeSparseModel(file(positions));
    await expect(refusal([3, 97])).rejects.toThrow(
      "model.spred.bin: tensor d/kernel: delta position 1 is index 100, beyond the tensor's 100 entries",
    );
    await expect(refusal([3, 0])).rejects.toThrow(
      'model.spred.bin: tensor d/kernel: delta positions do not strictly increase (index 1 repeats 3)',
    );
    await expect(refusal([0x83, 0x80, 0x80, 0x80, 0x80, 0x00, 1])).rejects.toThrow(
      'model.spred.bin: tensor d/kernel: delta position 0 is a varint longer than 5 bytes',
    );
    await expect(refusal([0xff, 0xff, 0xff, 0xff, 0x0f, 1])).rejects.toThrow(
      "model.spred.bin: tensor d/kernel: delta position 0 is index 4294967295, beyond the tensor's 100 entries",
    );
    // A 5-byte varint is allowed, even a padded one (3 written in 5 bytes).
    const padded = await decodeSparseModel(file([0x83, 0x80, 0x80, 0x80, 0x00, 1]));
    expect(
      Array.from(await padded.getWeights()[0]!.data()).flatMap((v, i) => (v === 0 ? [] : [i])),
    ).toEqual([3, 4]);
    padded.dispose();
    await expect(refusal([3, 0x81])).rejects.toThrow(
      'model.spred.bin: tensor d/kernel: delta positions end after 1 of 2 indices (2 bytes)',
    );
    await expect(refusal([3, 1, 2])).rejects.toThrow(
      'model.spred.bin: tensor d/kernel: takes 11 bytes, its delta encoding of 2 float32 values needs 10',
    );
  });
});
