import { SpredFileError } from './file-error.js';
import { readBytes } from './read-bytes.js';

/** The element types of a NumPy array that {@link readNpy} reads. */
export type NpyDtype =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

/** The typed array of each {@link NpyDtype} (`bool`: one byte per element, 0 or 1). */
export type NpyData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** An N-dimensional array read from a `.npy` file: row-major (C order), native byte order. */
export interface NpyArray {
  /** The array's shape; `[]` for a scalar. */
  readonly shape: readonly number[];
  readonly dtype: NpyDtype;
  /** The `shape`'s product of elements, row-major. */
  readonly data: NpyData;
}

type TypedArrayClass = {
  new (length: number): NpyData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NpyData;
  readonly BYTES_PER_ELEMENT: number;
};

/** NumPy's type codes (kind + size) → dtype and typed array. */
const DTYPES: Readonly<Record<string, readonly [NpyDtype, TypedArrayClass]>> = {
  f4: ['float32', Float32Array],
  f8: ['float64', Float64Array],
  i1: ['int8', Int8Array],
  u1: ['uint8', Uint8Array],
  b1: ['bool', Uint8Array],
  i2: ['int16', Int16Array],
  u2: ['uint16', Uint16Array],
  i4: ['int32', Int32Array],
  u4: ['uint32', Uint32Array],
  i8: ['int64', BigInt64Array],
  u8: ['uint64', BigUint64Array],
};

const MAGIC = '\x93NUMPY';

/**
 * Reads a NumPy `.npy` file (format 1.0–3.0, gunzipped if it starts with the gzip magic bytes)
 * holding an array of any shape of float32/64, (u)int8/16/32/64 or bool, in C or Fortran order,
 * little- or big-endian. What `numpy.save` writes (little-endian, C order) is viewed in place,
 * without a per-element conversion; other layouts are converted once. A file that is not `.npy`,
 * has an unsupported dtype (e.g. `<U10` strings, `O` objects), or holds fewer bytes than its
 * header's shape needs raises a one-line {@link SpredFileError} naming the file.
 *
 * @example
 * ```ts
 * const x = readNpy('X.npy'); // { shape: [60000, 28, 28], dtype: 'uint8', data: Uint8Array }
 * ```
 */
export function readNpy(path: string): NpyArray {
  return decodeNpy(readBytes(path), path);
}

/**
 * {@link readNpy} of bytes already in memory; `name` is the file named in errors. The returned
 * array may view `bytes`' buffer.
 *
 * @example
 * ```ts
 * const { shape, data } = decodeNpy(encodeNpy([2, 2], new Float32Array([1, 2, 3, 4])), 'x.npy');
 * ```
 */
export function decodeNpy(bytes: Uint8Array, name: string): NpyArray {
  const latin1 = (start: number, end: number) =>
    new TextDecoder('latin1').decode(bytes.subarray(start, Math.min(end, bytes.length)));
  if (bytes.length < 10 || latin1(0, 6) !== MAGIC)
    throw new SpredFileError(`${name}: not a .npy file (it does not start with \\x93NUMPY)`);
  const major = bytes[6] as number;
  if (major < 1 || major > 3)
    throw new SpredFileError(`${name}: .npy format version ${major} is not supported (1 to 3)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new SpredFileError(`${name}: truncated .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const offset = headerStart + headerLength;
  if (bytes.length < offset)
    throw new SpredFileError(
      `${name}: truncated: the header says ${headerLength} bytes, the file ends before them`,
    );
  const header =
    major === 3
      ? new TextDecoder().decode(bytes.subarray(headerStart, offset))
      : latin1(headerStart, offset);
  const descr = /'descr':\s*'([<>|=])?([a-zA-Z])(\d+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeMatch = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (descr === null || fortran === null || shapeMatch === null)
    throw new SpredFileError(`${name}: cannot read the .npy header: ${header.trim()}`);
  const [, order = '|', kind = '', size = ''] = descr;
  const dtype = DTYPES[`${kind}${size}`];
  if (dtype === undefined)
    throw new SpredFileError(
      `${name}: dtype '${order}${kind}${size}' is not supported (float32/64, (u)int8/16/32/64 or bool)`,
    );
  const [dtypeName, Typed] = dtype;
  const shape = (shapeMatch[1] as string)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 0))
    throw new SpredFileError(`${name}: bad shape (${shapeMatch[1] ?? ''}) in the .npy header`);
  const count = shape.reduce((a, b) => a * b, 1);
  const itemSize = Typed.BYTES_PER_ELEMENT;
  if (bytes.length - offset < count * itemSize)
    throw new SpredFileError(
      `${name}: truncated: shape (${shape.join(', ')}) of ${dtypeName} needs ${count * itemSize} bytes of data, found ${bytes.length - offset}`,
    );
  const bigEndian = order === '>' && itemSize > 1;
  let data: NpyData;
  const start = bytes.byteOffset + offset;
  if (!bigEndian && start % itemSize === 0) data = new Typed(bytes.buffer, start, count);
  else {
    // One copy into an aligned buffer (a memcpy), then the bytes swapped if big-endian.
    const copy = bytes.slice(offset, offset + count * itemSize);
    if (bigEndian)
      for (let k = 0; k < copy.length; k += itemSize) copy.subarray(k, k + itemSize).reverse();
    data = new Typed(copy.buffer, 0, count);
  }
  if (fortran[1] === 'True' && shape.length > 1) data = fromFortranOrder(data, shape, Typed);
  if (dtypeName === 'bool' && (data as Uint8Array).some((b) => b > 1))
    throw new SpredFileError(`${name}: a bool array holds a byte other than 0 and 1`);
  return { shape, dtype: dtypeName, data };
}

/** Row-major copy of a column-major array of `shape`. */
function fromFortranOrder(
  data: NpyData,
  shape: readonly number[],
  Typed: TypedArrayClass,
): NpyData {
  const out = new Typed(data.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  // Walk the output in row-major order; the source offset is Σ index[d] · Π_{e<d} shape[e].
  const strides = shape.map((_, d) => shape.slice(0, d).reduce((a, b) => a * b, 1));
  for (let k = 0; k < out.length; k++) {
    let source = 0;
    for (let d = 0; d < rank; d++) source += (index[d] as number) * (strides[d] as number);
    (out as unknown as number[])[k] = (data as unknown as number[])[source] as number;
    for (let d = rank - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (shape[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}

/** The `.npy` type code of an element type (bool is written as uint8). */
function typeCode(dtype: Exclude<NpyDtype, 'bool'>): string {
  const code = Object.entries(DTYPES).find(([, [d]]) => d === dtype)?.[0];
  if (code === undefined) throw new TypeError(`npyHeader: unsupported dtype ${dtype}`);
  return `<${code}`;
}

/** The element type of a typed array (a Uint8Array is uint8). */
function dtypeOf(data: NpyData): Exclude<NpyDtype, 'bool'> {
  for (const [dtype, Typed] of Object.values(DTYPES))
    if (dtype !== 'bool' && data instanceof Typed) return dtype;
  throw new TypeError('encodeNpy: unsupported typed array');
}

/**
 * The preamble and header of a `.npy` file (format 1.0, little-endian, C order) of `shape` and
 * `dtype`, as `numpy.save` writes them: padded with spaces so the data start at a multiple of 64
 * bytes. For writers that stream the data after it.
 *
 * @example
 * ```ts
 * npyHeader([2, 3], 'float64').length % 64; // 0
 * ```
 */
export function npyHeader(shape: readonly number[], dtype: Exclude<NpyDtype, 'bool'>): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${typeCode(dtype)}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

/**
 * The bytes of a `.npy` file (format 1.0, little-endian, C order) holding `data` with `shape`,
 * as `numpy.save` writes it (header padded so the data start at a multiple of 64).
 *
 * @example
 * ```ts
 * writeFileSync('y.npy', encodeNpy([3], new Int32Array([0, 2, 1])));
 * ```
 */
export function encodeNpy(shape: readonly number[], data: NpyData): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new RangeError(
      `encodeNpy: shape (${shape.join(', ')}) needs ${count} values, got ${data.length}`,
    );
  const header = npyHeader(shape, dtypeOf(data));
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}
