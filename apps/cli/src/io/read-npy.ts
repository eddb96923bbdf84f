import { readFileSync } from 'node:fs';
import { CliInputError } from './cli-input-error.js';

/** A numeric matrix read from a file, row-major. */
export interface NumericMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

/**
 * Reads a NumPy `.npy` file (format 1.0–3.0) holding a 1-D or 2-D float32/float64 array in C or
 * Fortran order, little- or big-endian. 1-D arrays become one column.
 */
export function readNpy(path: string): NumericMatrix {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new CliInputError(`${path}: no such file`);
  }
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new CliInputError(`${path}: not a .npy file (bad magic)`);
  const major = bytes[6] as number;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([<>|=]?)([fi])(\d)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (descr === null || fortran === null || shape === null)
    throw new CliInputError(`${path}: cannot read the .npy header: ${header.trim()}`);
  const [, order, kind, size] = descr as unknown as [string, string, string, string];
  if (kind !== 'f' || (size !== '4' && size !== '8'))
    throw new CliInputError(
      `${path}: dtype ${kind}${size} is not supported (float32 or float64 only)`,
    );
  const dims = (shape[1] as string)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (dims.length < 1 || dims.length > 2)
    throw new CliInputError(`${path}: expected a 1-D or 2-D array, got shape (${dims.join(', ')})`);
  const rows = dims[0] as number;
  const cols = dims.length === 2 ? (dims[1] as number) : 1;
  const itemSize = Number(size);
  const offset = headerStart + headerLength;
  if (bytes.length < offset + rows * cols * itemSize)
    throw new CliInputError(
      `${path}: truncated: shape (${dims.join(', ')}) needs ${rows * cols * itemSize} bytes of data, found ${bytes.length - offset}`,
    );
  const little = order !== '>';
  const isFortran = fortran[1] === 'True';
  // What numpy.save writes (C order, little-endian float64, data 64-byte aligned): the file's
  // bytes are the row-major values; view them, no copy and no per-element decoding.
  if (little && itemSize === 8 && !isFortran && (bytes.byteOffset + offset) % 8 === 0)
    return {
      rows,
      cols,
      values: new Float64Array(bytes.buffer, bytes.byteOffset + offset, rows * cols),
    };
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, rows * cols * itemSize);
  const values = new Float64Array(rows * cols);
  for (let k = 0; k < rows * cols; k++) {
    const v = itemSize === 8 ? view.getFloat64(k * 8, little) : view.getFloat32(k * 4, little);
    const i = isFortran ? k % rows : Math.floor(k / cols);
    const j = isFortran ? Math.floor(k / rows) : k % cols;
    values[i * cols + j] = v;
  }
  return { rows, cols, values };
}
