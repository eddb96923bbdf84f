import { closeSync, openSync, writeSync } from 'node:fs';
import { npyHeader } from '@spredjs/io';
import type { DesignMatrix } from '@spredjs/solvers';

/** Rows of the C-order copy written per `writeSync`: bounds the extra memory for a large X. */
const ROWS_PER_CHUNK = 64;

/**
 * Writes X (column-major, as the solvers hold it) as a float64 C-order `.npy` — what a user's
 * `numpy.save` writes, so every process of the bench reads the layout it would meet in practice.
 * Streams row blocks, so a 1,000 × 100,000 X costs no second full copy.
 *
 * @example
 * ```ts
 * writeMatrixNpy('/tmp/X.npy', { rows: 2, cols: 3, data: Float64Array.of(1, 4, 2, 5, 3, 6) });
 * // numpy.load('/tmp/X.npy') == [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export function writeMatrixNpy(path: string, x: DesignMatrix): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, npyHeader([x.rows, x.cols], 'float64'));
    const chunk = new Float64Array(Math.min(ROWS_PER_CHUNK, x.rows) * x.cols);
    for (let start = 0; start < x.rows; start += ROWS_PER_CHUNK) {
      const stop = Math.min(start + ROWS_PER_CHUNK, x.rows);
      for (let i = start; i < stop; i++)
        for (let j = 0; j < x.cols; j++)
          chunk[(i - start) * x.cols + j] = x.data[j * x.rows + i] as number;
      writeSync(fd, new Uint8Array(chunk.buffer, 0, (stop - start) * x.cols * 8));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a vector as a 1-D float64 `.npy`.
 *
 * @example
 * ```ts
 * writeVectorNpy('/tmp/y.npy', Float64Array.of(1, 2, 3)); // numpy.load: array([1., 2., 3.])
 * ```
 */
export function writeVectorNpy(path: string, v: Float64Array): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, npyHeader([v.length], 'float64'));
    writeSync(fd, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  } finally {
    closeSync(fd);
  }
}
