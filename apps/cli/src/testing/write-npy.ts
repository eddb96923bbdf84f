import { writeFileSync } from 'node:fs';

/** Writes a .npy file (little-endian) of a row-major matrix. */
export function writeNpy(
  path: string,
  values: number[],
  shape: [number, number],
  dtype: '<f4' | '<f8',
  fortran: boolean,
): void {
  const header = `{'descr': '${dtype}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape[0]}, ${shape[1]}), }`;
  const padded = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const size = dtype === '<f4' ? 4 : 8;
  const data = Buffer.alloc(values.length * size);
  const [rows, cols] = shape;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j] as number;
      const k = fortran ? j * rows + i : i * cols + j;
      if (size === 4) data.writeFloatLE(v, k * 4);
      else data.writeDoubleLE(v, k * 8);
    }
  }
  const preamble = Buffer.from([
    0x93,
    ...Buffer.from('NUMPY'),
    1,
    0,
    padded.length & 0xff,
    padded.length >> 8,
  ]);
  writeFileSync(path, Buffer.concat([preamble, Buffer.from(padded, 'latin1'), data]));
}
