// Where a sparse tensor's stored entries sit: a bitmap (one bit per entry) or delta-coded indices
// (LEB128 varints of the gaps). Writers take the sorted flat indices; readers walk the bytes
// without allocating, so a file can be checked before anything of its promised size exists.

/** The most bytes one varint may take: 5 × 7 bits cover every index below 2³². */
export const MAX_VARINT_BYTES = 5;

/** Bytes of the bitmap of a tensor of `size` entries. */
export function bitmapByteLength(size: number): number {
  return Math.ceil(size / 8);
}

/** Bytes of the LEB128 varint of the non-negative integer `value` (< 2³⁵). */
export function varintByteLength(value: number): number {
  let bytes = 1;
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) bytes += 1;
  return bytes;
}

/** Bytes of the delta coding of `indices` (sorted, strictly increasing). */
export function deltaByteLength(indices: ArrayLike<number>): number {
  let bytes = 0;
  let previous = 0;
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k] as number;
    bytes += varintByteLength(index - previous);
    previous = index;
  }
  return bytes;
}

/** Writes the bitmap of `indices` (row-major, least significant bit first) at `out[at…]`. */
export function writeBitmap(indices: ArrayLike<number>, out: Uint8Array, at: number): void {
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k] as number;
    const byte = at + (index >>> 3);
    out[byte] = (out[byte] as number) | (1 << (index & 7));
  }
}

/** Writes the gaps between successive `indices` (the first gap is the first index) as varints. */
export function writeDelta(indices: ArrayLike<number>, out: Uint8Array, at: number): void {
  let previous = 0;
  let p = at;
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k] as number;
    let gap = index - previous;
    previous = index;
    while (gap >= 128) {
      out[p++] = (gap % 128) | 0x80;
      gap = Math.floor(gap / 128);
    }
    out[p++] = gap;
  }
}

/**
 * Checks a bitmap of `size` bits at `bytes[at…]` and returns the number of set bits, or a
 * sentence saying what is wrong (a bit set beyond `size`).
 */
export function countBitmap(bytes: Uint8Array, at: number, size: number): number | string {
  const length = bitmapByteLength(size);
  let count = 0;
  for (let b = 0; b < length; b++) {
    let byte = bytes[at + b] as number;
    while (byte !== 0) {
      byte &= byte - 1;
      count += 1;
    }
  }
  const tailBits = size % 8;
  if (tailBits !== 0 && (bytes[at + length - 1] as number) >>> tailBits !== 0) {
    return `bitmap has bits set beyond the tensor's ${size} entries`;
  }
  return count;
}

/** Calls `visit(index, k)` for the k-th set bit of a bitmap of `size` bits, in increasing order. */
export function forEachBitmapIndex(
  bytes: Uint8Array,
  at: number,
  size: number,
  visit: (index: number, k: number) => void,
): void {
  const length = bitmapByteLength(size);
  let k = 0;
  for (let b = 0; b < length; b++) {
    const byte = bytes[at + b] as number;
    if (byte === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if ((byte >>> bit) & 1) visit(b * 8 + bit, k++);
    }
  }
}

/**
 * Walks `count` delta-coded indices in `bytes[at … at + byteLength)`, calling `visit(index, k)`
 * for each, and returns the bytes they took, or a sentence saying what is wrong: the varints run
 * past `byteLength`, one is longer than {@link MAX_VARINT_BYTES}, an index is not below `size`,
 * or the indices do not strictly increase.
 */
export function walkDelta(
  bytes: Uint8Array,
  at: number,
  byteLength: number,
  count: number,
  size: number,
  visit?: (index: number, k: number) => void,
): number | string {
  let p = 0;
  let previous = -1;
  for (let k = 0; k < count; k++) {
    let gap = 0;
    let weight = 1;
    for (let length = 1; ; length++) {
      if (p >= byteLength) {
        return `delta positions end after ${k} of ${count} indices (${byteLength} bytes)`;
      }
      if (length > MAX_VARINT_BYTES) {
        return `delta position ${k} is a varint longer than ${MAX_VARINT_BYTES} bytes`;
      }
      const byte = bytes[at + p++] as number;
      gap += (byte & 0x7f) * weight;
      weight *= 128;
      if ((byte & 0x80) === 0) break;
    }
    if (k > 0 && gap === 0) {
      return `delta positions do not strictly increase (index ${k} repeats ${previous})`;
    }
    const index = (k === 0 ? 0 : previous) + gap;
    if (index >= size) {
      return `delta position ${k} is index ${index}, beyond the tensor's ${size} entries`;
    }
    visit?.(index, k);
    previous = index;
  }
  return p;
}
