import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeMatrixNpy, writeVectorNpy } from './npy.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readBack(path: string) {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  const data = new Float64Array(
    bytes.buffer.slice(bytes.byteOffset + 10 + headerLength, bytes.byteOffset + bytes.length),
  );
  return { magic: bytes.toString('latin1', 1, 6), start: 10 + headerLength, header, data };
}

describe('npy writer', () => {
  it('writes X in C order, as numpy.save does, with the data 64-byte aligned', () => {
    // Column-major [[1, 2, 3], [4, 5, 6]]: the file must hold the rows one after the other.
    const path = join(dir, 'X.npy');
    writeMatrixNpy(path, { rows: 2, cols: 3, data: Float64Array.of(1, 4, 2, 5, 3, 6) });
    const back = readBack(path);
    expect(back.magic).toBe('NUMPY');
    expect(back.start % 64).toBe(0);
    expect(back.header).toMatch(/'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\)/);
    expect(back.header.endsWith('\n')).toBe(true);
    expect(Array.from(back.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('streams a matrix taller than one write block without losing rows', () => {
    const rows = 150;
    const data = Float64Array.from({ length: rows * 2 }, (_, k) => k);
    const path = join(dir, 'tall.npy');
    writeMatrixNpy(path, { rows, cols: 2, data });
    const back = readBack(path).data;
    expect(back).toHaveLength(rows * 2);
    expect(back[2 * 149]).toBe(149);
    expect(back[2 * 149 + 1]).toBe(rows + 149);
  });

  it('writes a vector as a 1-D array', () => {
    const path = join(dir, 'y.npy');
    writeVectorNpy(path, Float64Array.of(0.5, -1, 2));
    const back = readBack(path);
    expect(back.header).toMatch(/'shape': \(3,\)/);
    expect(Array.from(back.data)).toEqual([0.5, -1, 2]);
  });
});
