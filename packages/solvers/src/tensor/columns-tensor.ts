import * as tf from '@tensorflow/tfjs-core';
import type { DesignMatrix } from '../data/design-matrix.js';

/** Columns `columns` of X as a row-major float32 tensor [n, |columns|] (for the tfjs solver). */
export function columnsTensor(x: DesignMatrix, columns: readonly number[]): tf.Tensor2D {
  const n = x.rows;
  const out = new Float32Array(n * columns.length);
  columns.forEach((j, c) => {
    const base = j * n;
    for (let i = 0; i < n; i++) out[i * columns.length + c] = x.data[base + i] as number;
  });
  return tf.tensor2d(out, [n, columns.length]);
}
