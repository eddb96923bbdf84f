import { SpredInputError } from '@spredjs/core';
import { bitmapByteLength, countBitmap, forEachBitmapIndex, walkDelta } from './positions.js';
import {
  MAX_TENSOR_ENTRIES,
  MAX_TENSOR_RANK,
  SPARSE_MODEL_FORMAT,
  SPARSE_MODEL_JSON_FILE,
  SPARSE_MODEL_VERSION,
  type SparsePositionEncoding,
  type SparseValueEncoding,
} from './sparse-model-json.js';
import { UINT8_LEVELS, bytesPerValue, readValue, uint8Value, type AffineMap } from './values.js';

/** One tensor of a checked file: every number in range, its bytes known to decode. */
export interface CheckedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly positions: SparsePositionEncoding;
  readonly values: SparseValueEncoding;
  readonly map: AffineMap | undefined;
  readonly nonzeros: number;
  /** Where the tensor's positions start in the weights file. */
  readonly byteOffset: number;
  /** Where its values start in the weights file. */
  readonly valuesOffset: number;
}

/** A compact sparse model whose header and weights file agree: safe to decode. */
export interface CheckedSparseModel {
  readonly modelTopology: { readonly [key: string]: unknown };
  readonly tensors: readonly CheckedTensor[];
  readonly bytes: Uint8Array;
  readonly view: DataView;
}

/** A header value as a short, one-line string for a message. */
function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The first line of an error's message, short enough to quote in one. */
export function firstLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** A name from a file, made safe to put in a one-line message. */
export function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

const isRecord = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const POSITION_ENCODINGS: readonly string[] = ['dense', 'bitmap', 'delta'];
const VALUE_ENCODINGS: readonly string[] = ['float16', 'uint8', 'float32'];

/** The parts of a header that say which weights file to read and how long it is. */
export interface SparseModelHeader {
  readonly modelTopology: { readonly [key: string]: unknown };
  readonly weightsFile: string;
  readonly byteLength: number;
}

/**
 * Checks a header's format, version, topology, weights file name and length: what a loader needs
 * before it reads the weights file. Throws a one-line {@link SpredInputError}.
 */
export function checkHeader(json: unknown): SparseModelHeader & { readonly weights: unknown } {
  const header = (message: string) => new SpredInputError(`${SPARSE_MODEL_JSON_FILE}: ${message}`);
  if (!isRecord(json)) throw header(`expected a JSON object, got ${show(json)}`);
  if (json['format'] !== SPARSE_MODEL_FORMAT) {
    throw header(`format must be "${SPARSE_MODEL_FORMAT}", got ${show(json['format'])}`);
  }
  if (json['version'] !== SPARSE_MODEL_VERSION) {
    throw header(
      `version ${show(json['version'])} is not supported (this reader reads version ${SPARSE_MODEL_VERSION})`,
    );
  }
  const modelTopology = json['modelTopology'];
  if (!isRecord(modelTopology)) {
    throw header(`modelTopology must be an object, got ${show(modelTopology)}`);
  }
  const weightsFile = json['weightsFile'];
  if (!isWeightsFileName(weightsFile)) {
    throw header(`weightsFile must be a plain file name (no folders), got ${show(weightsFile)}`);
  }
  const byteLength = json['byteLength'];
  if (!isCount(byteLength)) {
    throw header(`byteLength must be a non-negative safe integer, got ${show(byteLength)}`);
  }
  return { modelTopology, weightsFile, byteLength, weights: json['weights'] };
}

/**
 * Checks that a compact sparse model's header is well formed and that its weights file holds
 * exactly what the header promises, reading only the bytes that are there: nothing of a promised
 * size is allocated. Throws a one-line {@link SpredInputError} naming the file, the tensor and
 * what is wrong.
 */
export function checkSparseModel(json: unknown, bytes: Uint8Array): CheckedSparseModel {
  const { modelTopology, weightsFile, byteLength, weights: specs } = checkHeader(json);
  const header = (message: string) => new SpredInputError(`${SPARSE_MODEL_JSON_FILE}: ${message}`);
  const binName = printable(weightsFile);
  const bin = (message: string) => new SpredInputError(`${binName}: ${message}`);
  if (byteLength !== bytes.length) {
    throw bin(`the file has ${bytes.length} bytes, the header says ${byteLength}`);
  }
  if (!Array.isArray(specs)) throw header(`weights must be an array, got ${show(specs)}`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names = new Set<string>();
  const tensors: CheckedTensor[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec: unknown = specs[i];
    if (!isRecord(spec)) throw header(`weights[${i}] must be an object, got ${show(spec)}`);
    const rawName = spec['name'];
    if (typeof rawName !== 'string' || rawName === '') {
      throw header(`weights[${i}].name must be a non-empty string, got ${show(rawName)}`);
    }
    const name = printable(rawName);
    if (names.has(rawName)) throw header(`tensor ${name} appears twice`);
    names.add(rawName);
    const inHeader = (message: string) => header(`tensor ${name}: ${message}`);
    const inBin = (message: string) => bin(`tensor ${name}: ${message}`);

    const shape = spec['shape'];
    if (!Array.isArray(shape) || shape.length > MAX_TENSOR_RANK) {
      throw inHeader(
        `shape must be an array of at most ${MAX_TENSOR_RANK} sizes, got ${show(shape)}`,
      );
    }
    let size = 1;
    for (let d = 0; d < shape.length; d++) {
      const extent: unknown = shape[d];
      if (!isCount(extent))
        throw inHeader(`shape[${d}] must be a non-negative safe integer, got ${show(extent)}`);
      if (extent > MAX_TENSOR_ENTRIES)
        throw inHeader(`shape[${d}] = ${extent} exceeds ${MAX_TENSOR_ENTRIES}`);
      size *= extent; // at most 2²⁸ · 2²⁸ = 2⁵⁶: not exact, but surely caught below
      if (size > MAX_TENSOR_ENTRIES) {
        throw inHeader(`shape ${show(shape)} has more than ${MAX_TENSOR_ENTRIES} entries`);
      }
    }
    const positions = spec['positions'];
    if (typeof positions !== 'string' || !POSITION_ENCODINGS.includes(positions)) {
      throw inHeader(
        `positions must be one of ${POSITION_ENCODINGS.join(', ')}, got ${show(positions)}`,
      );
    }
    const values = spec['values'];
    if (typeof values !== 'string' || !VALUE_ENCODINGS.includes(values)) {
      throw inHeader(`values must be one of ${VALUE_ENCODINGS.join(', ')}, got ${show(values)}`);
    }
    const encoding = values as SparseValueEncoding;
    let map: AffineMap | undefined;
    if (encoding === 'uint8') {
      const problem = checkUint8Map(spec['scale'], spec['offset']);
      if (problem !== undefined) throw inHeader(problem);
      map = { scale: spec['scale'] as number, offset: spec['offset'] as number };
    }
    const nonzeros = spec['nonzeros'];
    if (!isCount(nonzeros))
      throw inHeader(`nonzeros must be a non-negative safe integer, got ${show(nonzeros)}`);
    if (nonzeros > size) throw inHeader(`${nonzeros} nonzeros in a tensor of ${size} entries`);
    const byteOffset = spec['byteOffset'];
    if (!isCount(byteOffset))
      throw inHeader(`byteOffset must be a non-negative safe integer, got ${show(byteOffset)}`);
    const length = spec['byteLength'];
    if (!isCount(length))
      throw inHeader(`byteLength must be a non-negative safe integer, got ${show(length)}`);
    if (byteOffset > bytes.length || length > bytes.length - byteOffset) {
      throw inBin(
        `bytes ${byteOffset} … ${byteOffset + length} lie beyond the file's ${bytes.length} bytes`,
      );
    }

    const width = bytesPerValue(encoding);
    const stored = positions === 'dense' ? size : nonzeros;
    let positionsLength: number;
    if (positions === 'dense') {
      positionsLength = 0;
    } else if (positions === 'bitmap') {
      positionsLength = bitmapByteLength(size);
    } else {
      const valuesLength = nonzeros * width;
      if (valuesLength > length) {
        throw inBin(
          `${length} bytes cannot hold ${nonzeros} ${encoding} values and their positions`,
        );
      }
      const walked = walkDelta(bytes, byteOffset, length - valuesLength, nonzeros, size);
      if (typeof walked === 'string') throw inBin(walked);
      positionsLength = walked;
    }
    const expected = positionsLength + stored * width;
    if (length !== expected) {
      throw inBin(
        `takes ${length} bytes, its ${positions} encoding of ${stored} ${encoding} values needs ${expected}`,
      );
    }
    if (positions === 'bitmap') {
      const count = countBitmap(bytes, byteOffset, size);
      if (typeof count === 'string') throw inBin(count);
      if (count !== nonzeros)
        throw inBin(`bitmap has ${count} set bits, header says ${nonzeros} nonzeros`);
    }
    const valuesOffset = byteOffset + positionsLength;
    let decodedNonzeros = 0;
    for (let k = 0; k < stored; k++) {
      const v = readValue(view, valuesOffset + k * width, encoding, map);
      if (!Number.isFinite(v)) throw inBin(`stored value ${k} is ${v}`);
      if (v !== 0) decodedNonzeros += 1;
    }
    if (positions === 'dense' && decodedNonzeros !== nonzeros) {
      throw inBin(`dense values hold ${decodedNonzeros} non-zeros, header says ${nonzeros}`);
    }
    tensors.push({
      name: rawName,
      shape: shape as number[],
      size,
      positions: positions as SparsePositionEncoding,
      values: encoding,
      map,
      nonzeros,
      byteOffset,
      valuesOffset,
    });
  }
  const byStart = [...tensors].sort((a, b) => a.byteOffset - b.byteOffset);
  for (let i = 1; i < byStart.length; i++) {
    const before = byStart[i - 1] as CheckedTensor;
    const after = byStart[i] as CheckedTensor;
    const end =
      before.valuesOffset +
      (before.positions === 'dense' ? before.size : before.nonzeros) * bytesPerValue(before.values);
    if (after.byteOffset < end) {
      throw bin(`tensors ${printable(before.name)} and ${printable(after.name)} overlap`);
    }
  }
  return { modelTopology, tensors, bytes, view };
}

/**
 * Writes the decoded entries of a checked tensor into `out` (of `tensor.size` zeros): the file was
 * checked, so this cannot fail.
 */
export function decodeTensor(
  model: CheckedSparseModel,
  tensor: CheckedTensor,
  out: Float32Array,
): void {
  const { view, bytes } = model;
  const width = bytesPerValue(tensor.values);
  const at = tensor.valuesOffset;
  const value = (k: number) => readValue(view, at + k * width, tensor.values, tensor.map);
  if (tensor.positions === 'dense') {
    for (let k = 0; k < tensor.size; k++) out[k] = value(k);
  } else if (tensor.positions === 'bitmap') {
    forEachBitmapIndex(bytes, tensor.byteOffset, tensor.size, (index, k) => {
      out[index] = value(k);
    });
  } else {
    walkDelta(
      bytes,
      tensor.byteOffset,
      at - tensor.byteOffset,
      tensor.nonzeros,
      tensor.size,
      (index, k) => {
        out[index] = value(k);
      },
    );
  }
}

/** A weights file name the header may give: a plain, printable file name. */
function isWeightsFileName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    name.length <= 255 &&
    name !== '.' &&
    name !== '..' &&
    // eslint-disable-next-line no-control-regex
    !/[/\\\u0000-\u001f\u007f]/.test(name)
  );
}

/**
 * Checks a uint8 map read from a header: finite, scale ≥ 0, and every code decoding to a finite
 * float32. Returns a sentence saying what is wrong, or undefined.
 */
function checkUint8Map(scale: unknown, offset: unknown): string | undefined {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0) {
    return `uint8 scale must be a finite number ≥ 0, got ${show(scale)}`;
  }
  if (typeof offset !== 'number' || !Number.isFinite(offset)) {
    return `uint8 offset must be a finite number, got ${show(offset)}`;
  }
  // offset + scale · q grows with q, so both ends finite means every code is.
  if (
    !Number.isFinite(Math.fround(offset)) ||
    !Number.isFinite(uint8Value(UINT8_LEVELS, { scale, offset }))
  ) {
    return `uint8 codes would decode beyond float32's range (offset ${offset}, scale ${scale})`;
  }
  return undefined;
}
