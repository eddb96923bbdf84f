import { SpredInputError } from '@spredjs/core';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';
import type { SparseValueEncoding } from './sparse-model-json.js';

/** uint8 codes run 0 … 255. */
export const UINT8_LEVELS = 255;
/** The map of a tensor with no stored values (and the placeholder where values are not uint8). */
const NO_MAP: AffineMap = { scale: 0, offset: 0 };

/** Bytes one stored value takes under `encoding`. */
export function bytesPerValue(encoding: SparseValueEncoding): number {
  return encoding === 'float32' ? 4 : encoding === 'float16' ? 2 : 1;
}

/** The affine map of `'uint8'` values: `value = offset + scale · q`, q = 0 … 255. */
export interface AffineMap {
  readonly scale: number;
  readonly offset: number;
}

/**
 * The uint8 map over the stored values `values[k]` for k in `stored` (all of them if absent): 256
 * levels from their minimum to their maximum, so each decodes within scale / 2.
 */
export function uint8Map(values: Float32Array, stored?: ArrayLike<number>): AffineMap {
  let min = Infinity;
  let max = -Infinity;
  const count = stored === undefined ? values.length : stored.length;
  for (let k = 0; k < count; k++) {
    const v = values[stored === undefined ? k : (stored[k] as number)] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return NO_MAP;
  return { scale: (max - min) / UINT8_LEVELS, offset: min };
}

/** The uint8 code of `v` under `map`. */
export function uint8Code(v: number, map: AffineMap): number {
  if (map.scale === 0) return 0;
  return Math.min(UINT8_LEVELS, Math.max(0, Math.round((v - map.offset) / map.scale)));
}

/** The float32 value a uint8 code decodes to. */
export function uint8Value(q: number, map: AffineMap): number {
  return Math.fround(map.offset + map.scale * q);
}

/**
 * The float32 value `v` is stored as under `encoding` (uint8: under `map`), or a SpredInputError
 * naming `tensor` where a finite value does not fit (a float16 overflow).
 */
export function storedValue(
  v: number,
  encoding: SparseValueEncoding,
  map: AffineMap | undefined,
  tensor: string,
): number {
  if (encoding === 'float32') return v;
  if (encoding === 'float16') {
    const bits = float32ToFloat16Bits(v);
    if ((bits & 0x7fff) === 0x7c00) {
      throw new SpredInputError(
        `tensor ${tensor}: value ${v} overflows float16 (largest finite 65504); encode with values: 'float32'`,
      );
    }
    return float16BitsToFloat32(bits);
  }
  return uint8Value(uint8Code(v, map ?? NO_MAP), map ?? NO_MAP);
}

/** Writes `v` under `encoding` at byte `at` of `view` (little-endian). */
export function writeValue(
  view: DataView,
  at: number,
  v: number,
  encoding: SparseValueEncoding,
  map: AffineMap | undefined,
): void {
  if (encoding === 'float32') view.setFloat32(at, v, true);
  else if (encoding === 'float16') view.setUint16(at, float32ToFloat16Bits(v), true);
  else view.setUint8(at, uint8Code(v, map ?? NO_MAP));
}

/** Reads the value at byte `at` of `view` under `encoding` (little-endian). */
export function readValue(
  view: DataView,
  at: number,
  encoding: SparseValueEncoding,
  map: AffineMap | undefined,
): number {
  if (encoding === 'float32') return view.getFloat32(at, true);
  if (encoding === 'float16') return float16BitsToFloat32(view.getUint16(at, true));
  return uint8Value(view.getUint8(at), map ?? NO_MAP);
}
