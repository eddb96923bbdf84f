import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import { modelTopology } from '../model-topology.js';
import { bitmapByteLength, deltaByteLength, writeBitmap, writeDelta } from './positions.js';
import {
  MAX_TENSOR_ENTRIES,
  SPARSE_MODEL_FORMAT,
  SPARSE_MODEL_VERSION,
  SPARSE_MODEL_WEIGHTS_FILE,
  type SparseModelFiles,
  type SparseModelJson,
  type SparsePositionEncoding,
  type SparseValueEncoding,
  type SparseWeightSpec,
} from './sparse-model-json.js';
import { bytesPerValue, storedValue, uint8Map, writeValue, type AffineMap } from './values.js';

/**
 * Options of {@link encodeSparseModel}.
 *
 * @example
 * ```ts
 * const options: EncodeSparseModelOptions = { values: 'float32' }; // lossless
 * const files = await encodeSparseModel(model, options);
 * ```
 */
export interface EncodeSparseModelOptions {
  /**
   * How the stored values are written (see {@link SparseValueEncoding}): `'float16'` (default)
   * halves the bytes of each value, each weight becoming its nearest half (a finite weight beyond
   * ±65504 is refused); `'uint8'` quarters them, each weight within scale / 2 of its value where
   * scale = (largest − smallest stored value) / 255 per tensor; `'float32'` is lossless. Zeros
   * stay exactly zero under all three.
   */
  readonly values?: SparseValueEncoding;
}

/** One tensor's encoding, before its place in the weights file is known. */
interface EncodedTensor {
  readonly positions: SparsePositionEncoding;
  readonly nonzeros: number;
  readonly map: AffineMap | undefined;
  readonly bytes: Uint8Array;
}

/**
 * The flat indices of the entries stored sparsely: those whose stored value is not ±0 (a float16
 * value too small for half precision becomes 0 and is dropped; -0, as masking leaves it, is 0).
 */
function storedIndices(data: Float32Array, values: SparseValueEncoding, name: string): Int32Array {
  const keep = new Uint8Array(data.length);
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v))
      throw new SpredInputError(
        `tensor ${name}: entry ${i} is ${v}; only finite weights can be encoded`,
      );
    const zero = values === 'float16' ? storedValue(v, 'float16', undefined, name) === 0 : v === 0;
    if (!zero) {
      keep[i] = 1;
      count += 1;
    }
  }
  const indices = new Int32Array(count);
  for (let i = 0, k = 0; i < data.length; i++) if (keep[i] === 1) indices[k++] = i;
  return indices;
}

/** Encodes one tensor under whichever of dense, bitmap and delta positions is smallest. */
function encodeTensor(
  name: string,
  data: Float32Array,
  values: SparseValueEncoding,
): EncodedTensor {
  const size = data.length;
  const indices = storedIndices(data, values, name);
  const width = bytesPerValue(values);
  const sparseValues = indices.length * width;
  // uint8 stores no zero (no code need stand for it), so a tensor with zeros is never dense.
  const denseAllowed = values !== 'uint8' || indices.length === size;
  const candidates: [SparsePositionEncoding, number][] = [
    ['dense', denseAllowed ? size * width : Infinity],
    ['bitmap', bitmapByteLength(size) + sparseValues],
    ['delta', deltaByteLength(indices) + sparseValues],
  ];
  // Ties go to the simpler encoding: the first in this order.
  const [positions, byteLength] = candidates.reduce((best, c) => (c[1] < best[1] ? c : best));
  const stored = positions === 'dense' ? undefined : indices;
  const map: AffineMap | undefined = values === 'uint8' ? uint8Map(data, stored) : undefined;
  const bytes = new Uint8Array(byteLength);
  const view = new DataView(bytes.buffer);
  const count = stored === undefined ? size : stored.length;
  const valuesAt = byteLength - count * width;
  if (positions === 'bitmap') writeBitmap(indices, bytes, 0);
  else if (positions === 'delta') writeDelta(indices, bytes, 0);
  let nonzeros = 0;
  for (let k = 0; k < count; k++) {
    const v = data[stored === undefined ? k : (stored[k] as number)] as number;
    writeValue(view, valuesAt + k * width, v, values, map);
    if (storedValue(v, values, map, name) !== 0) nonzeros += 1;
  }
  return { positions, nonzeros: positions === 'dense' ? nonzeros : count, map, bytes };
}

/**
 * Encodes a tfjs-layers model as a compact sparse model: its topology (as `model.save` writes it)
 * in a header, `model.spred.json`, and its weights in one weights file, `model.spred.bin`, where
 * each tensor stores only its non-zero entries and their positions, as a bitmap or as delta-coded
 * indices, whichever is smaller, or every entry (`'dense'`) where that is smaller still (biases,
 * batch-norm parameters, barely sparse kernels). After spred's `collapse` or pruning, most kernel
 * entries are exact zeros, so the file is a fraction of tfjs's float32 one. Weights are read with
 * `await data()` (never synchronously), so this runs on WebGPU too. Throws `SpredInputError` for a
 * weight that is not float32, not finite, or (with `values: 'float16'`) beyond ±65504.
 *
 * @param options.values how stored values are written: `'float16'` (default), `'uint8'` or
 *   `'float32'`; see {@link EncodeSparseModelOptions}.
 *
 * @example
 * ```ts
 * const { json, weights } = await encodeSparseModel(collapsed, { values: 'float16' });
 * await writeFile('model/model.spred.json', JSON.stringify(json));
 * await writeFile(`model/${json.weightsFile}`, weights);
 * const copy = await loadSparseModel('model'); // an ordinary tfl.LayersModel
 * ```
 */
export async function encodeSparseModel(
  model: tfl.LayersModel,
  options: EncodeSparseModelOptions = {},
): Promise<SparseModelFiles> {
  const values = options.values ?? 'float16';
  if (values !== 'float16' && values !== 'uint8' && values !== 'float32') {
    throw new SpredInputError(
      `values must be 'float16', 'uint8' or 'float32', got ${String(values)}`,
    );
  }
  const topology = modelTopology(model);
  const variables = model.weights;
  const tensors: tf.Tensor[] = model.getWeights();
  const names = new Set<string>();
  const specs: SparseWeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  let byteLength = 0;
  for (let i = 0; i < variables.length; i++) {
    const name = (variables[i] as (typeof variables)[number]).originalName;
    const tensor = tensors[i] as tf.Tensor;
    if (names.has(name))
      throw new SpredInputError(`tensor ${name}: two weights of the model have this name`);
    names.add(name);
    if (tensor.dtype !== 'float32')
      throw new SpredInputError(
        `tensor ${name}: dtype ${tensor.dtype}, only float32 weights can be encoded`,
      );
    if (tensor.size > MAX_TENSOR_ENTRIES)
      throw new SpredInputError(
        `tensor ${name}: ${tensor.size} entries exceed ${MAX_TENSOR_ENTRIES}`,
      );
    const data = (await tensor.data()) as Float32Array;
    const { positions, nonzeros, map, bytes } = encodeTensor(name, data, values);
    specs.push({
      name,
      shape: [...tensor.shape],
      positions,
      values,
      byteOffset: byteLength,
      byteLength: bytes.length,
      nonzeros,
      ...(map === undefined ? {} : { scale: map.scale, offset: map.offset }),
    });
    chunks.push(bytes);
    byteLength += bytes.length;
  }
  const weights = new Uint8Array(byteLength);
  for (let i = 0; i < chunks.length; i++)
    weights.set(chunks[i] as Uint8Array, (specs[i] as SparseWeightSpec).byteOffset);
  const json: SparseModelJson = {
    format: SPARSE_MODEL_FORMAT,
    version: SPARSE_MODEL_VERSION,
    modelTopology: topology as { readonly [key: string]: unknown },
    weightsFile: SPARSE_MODEL_WEIGHTS_FILE,
    byteLength,
    weights: specs,
  };
  return { json, weights };
}
