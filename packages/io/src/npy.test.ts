import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SpredFileError } from './file-error.js';
import { decodeNpy, encodeNpy, readNpy } from './npy.js';

/** A .npy file with a hand-written header (format 1.0), `pad` extra spaces shifting the data. */
function npyBytes(header: string, payload: Uint8Array, pad = 0): Uint8Array {
  const text = `${header}${' '.repeat(pad)}\n`;
  const out = new Uint8Array(10 + text.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  out.set(payload, 10 + text.length);
  return out;
}

describe('readNpy / decodeNpy', () => {
  it('round-trips every dtype through encodeNpy, viewing numpy-aligned data in place', () => {
    const cases = [
      new Float32Array([1.5, -2, 3e-8]),
      new Float64Array([Math.PI, -0, 1e300]),
      new Int8Array([-128, 0, 127]),
      new Uint8Array([0, 200, 255]),
      new Int16Array([-32768, 1, 32767]),
      new Uint16Array([0, 1, 65535]),
      new Int32Array([-(2 ** 31), 7, 2 ** 31 - 1]),
      new Uint32Array([0, 9, 2 ** 32 - 1]),
      new BigInt64Array([-(2n ** 63n), 0n, 5n]),
      new BigUint64Array([0n, 2n ** 64n - 1n, 3n]),
    ];
    for (const data of cases) {
      const bytes = encodeNpy([3], data);
      expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
      const read = decodeNpy(bytes, 'x.npy');
      expect(read.shape).toEqual([3]);
      expect(read.data.constructor).toBe(data.constructor);
      expect(Array.from(read.data as ArrayLike<number | bigint>)).toEqual(
        Array.from(data as ArrayLike<number | bigint>),
      );
      expect(read.data.buffer).toBe(bytes.buffer); // a view, not a copy
    }
  });

  it('reads N-D shapes, scalars and an empty array', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i);
    const read = decodeNpy(encodeNpy([2, 3, 4], data), 'x.npy');
    expect(read).toMatchObject({ shape: [2, 3, 4], dtype: 'float32' });
    expect(Array.from(read.data as Float32Array)).toEqual(Array.from(data));
    const scalar = npyBytes(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
      new Uint8Array(new Float64Array([2.5]).buffer),
    );
    expect(decodeNpy(scalar, 's.npy')).toMatchObject({ shape: [] });
    expect(Array.from(decodeNpy(scalar, 's.npy').data as Float64Array)).toEqual([2.5]);
    const empty = decodeNpy(encodeNpy([0, 5], new Float32Array(0)), 'e.npy');
    expect(empty.shape).toEqual([0, 5]);
    expect(empty.data.length).toBe(0);
  });

  it("converts Fortran order to row-major: numpy's 2×3 [[1,2,3],[4,5,6]] is stored 1,4,2,5,3,6", () => {
    const payload = new Uint8Array(new Int32Array([1, 4, 2, 5, 3, 6]).buffer);
    const bytes = npyBytes("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", payload);
    expect(Array.from(decodeNpy(bytes, 'f.npy').data as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    // 2×2×2: element (i,j,k) sits at i + 2j + 4k
    const f3 = Int16Array.from({ length: 8 }, (_, s) => {
      const i = s % 2,
        j = Math.floor(s / 2) % 2,
        k = Math.floor(s / 4);
      return 100 * i + 10 * j + k;
    });
    const bytes3 = npyBytes(
      "{'descr': '<i2', 'fortran_order': True, 'shape': (2, 2, 2), }",
      new Uint8Array(f3.buffer),
    );
    expect(Array.from(decodeNpy(bytes3, 'f.npy').data as Int16Array)).toEqual([
      0, 1, 10, 11, 100, 101, 110, 111,
    ]);
  });

  it('reads big-endian data and data that start at an unaligned offset', () => {
    const big = new Uint8Array([0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0]); // 1, -2 as big-endian float32
    const bytes = npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", big);
    expect(Array.from(decodeNpy(bytes, 'b.npy').data as Float32Array)).toEqual([1, -2]);
    const little = new Uint8Array(new Float64Array([7, 8]).buffer);
    const shifted = npyBytes(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
      little,
      3,
    );
    expect((10 + new DataView(shifted.buffer).getUint16(8, true)) % 8).not.toBe(0);
    expect(Array.from(decodeNpy(shifted, 'u.npy').data as Float64Array)).toEqual([7, 8]);
  });

  it('reads a gzipped file by its magic bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-npy-'));
    const path = join(dir, 'y.npy.gz');
    writeFileSync(path, gzipSync(encodeNpy([3], new Int32Array([2, 0, 1]))));
    expect(readNpy(path)).toMatchObject({ shape: [3], dtype: 'int32' });
    expect(Array.from(readNpy(path).data as Int32Array)).toEqual([2, 0, 1]);
  });

  it('refuses what it cannot read with one line naming the file', () => {
    const good = encodeNpy([4], new Float32Array(4));
    expect(() => decodeNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'a.npy')).toThrow(
      /^a\.npy: not a \.npy file/,
    );
    expect(() => decodeNpy(good.subarray(0, good.length - 1), 'b.npy')).toThrow(
      'b.npy: truncated: shape (4) of float32 needs 16 bytes of data, found 15',
    );
    const strings = npyBytes(
      "{'descr': '<U10', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array(40),
    );
    expect(() => decodeNpy(strings, 'c.npy')).toThrow(/^c\.npy: dtype '<U10' is not supported/);
    const objects = npyBytes(
      "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
      new Uint8Array(8),
    );
    expect(() => decodeNpy(objects, 'd.npy')).toThrow(/^d\.npy: cannot read the \.npy header/);
    const huge = npyBytes(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }",
      new Uint8Array(8),
    );
    expect(() => decodeNpy(huge, 'e.npy')).toThrow(/^e\.npy: truncated: shape \(100000, 100000\)/);
    const bool = npyBytes(
      "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }",
      new Uint8Array([1, 2]),
    );
    expect(() => decodeNpy(bool, 'f.npy')).toThrow(
      'f.npy: a bool array holds a byte other than 0 and 1',
    );
    expect(() => readNpy(join(tmpdir(), 'no-such-spred.npy'))).toThrow(SpredFileError);
  });
});
