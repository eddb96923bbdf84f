import { readNpy as readNpyArray } from '@spredjs/io';
import { CliInputError } from './cli-input-error.js';

/** A numeric matrix read from a file, row-major. */
export interface NumericMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

/**
 * Reads a NumPy `.npy` file holding a 1-D or 2-D numeric array (any layout `@spredjs/io`'s
 * `readNpy` reads) as a float64 matrix; 1-D arrays become one column. float64 data in numpy's
 * layout are viewed, not copied.
 */
export function readNpy(path: string): NumericMatrix {
  const array = readNpyArray(path);
  const { shape, data } = array;
  if (shape.length < 1 || shape.length > 2)
    throw new CliInputError(
      `${path}: expected a 1-D or 2-D array, got shape (${shape.join(', ')})`,
    );
  if (array.dtype === 'bool' || data instanceof BigInt64Array || data instanceof BigUint64Array)
    throw new CliInputError(
      `${path}: dtype ${array.dtype} is not supported (a numeric matrix: float or int up to 32 bits)`,
    );
  const rows = shape[0] as number;
  const cols = shape.length === 2 ? (shape[1] as number) : 1;
  return { rows, cols, values: data instanceof Float64Array ? data : Float64Array.from(data) };
}
