import { describe, expect, it } from 'vitest';
import { toDesignMatrix } from './design-matrix.js';

describe('toDesignMatrix', () => {
  it('transposes a row-major X into columns exactly, for shapes that are no multiple of its tile', () => {
    for (const [rows, cols] of [
      [1, 1],
      [70, 130],
      [129, 3],
      [5, 200],
    ] as const) {
      const values = Float64Array.from({ length: rows * cols }, (_, k) => k * 1.5 - 7);
      const x = toDesignMatrix({ rows, cols, values });
      expect([x.rows, x.cols]).toEqual([rows, cols]);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) expect(x.data[j * rows + i]).toBe(values[i * cols + j]);
    }
  });
});
