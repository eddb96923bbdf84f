import { describe, expect, it } from 'vitest';
import { firstNonFinite, toDesignMatrix } from './design-matrix.js';

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

  it('finds the first NaN or ±∞ (and names it in the error), −1 when every value is finite', () => {
    expect(firstNonFinite(Float64Array.of(1, -2, 1e308, 0))).toBe(-1);
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(firstNonFinite(Float64Array.of(1, 2, bad, 4, bad))).toBe(2);
    }
    expect(() =>
      toDesignMatrix({ rows: 2, cols: 2, values: Float64Array.of(1, 2, 3, NaN) }),
    ).toThrow('X has a non-finite value (NaN) at row 1, column 1');
  });

  it('finds a non-finite value of a large row-major X while transposing it, naming its source', () => {
    const rows = 100;
    const cols = 300;
    const values = new Float32Array(rows * cols).fill(0.5);
    values[37 * cols + 211] = -Infinity;
    values[90 * cols + 5] = NaN;
    expect(() => toDesignMatrix({ rows, cols, values, source: 'data/X.npy' })).toThrow(
      'data/X.npy has a non-finite value (-Infinity) at row 37, column 211',
    );
  });

  it('does not scan a matrix it made again, but scans one made elsewhere', () => {
    const made = toDesignMatrix([
      [1, 2],
      [3, 4],
    ]);
    expect(toDesignMatrix(made)).toBe(made);
    expect(() => toDesignMatrix({ rows: 2, cols: 1, data: Float64Array.of(1, NaN) })).toThrow(
      'X has a non-finite value (NaN) at row 1, column 0',
    );
  });
});
