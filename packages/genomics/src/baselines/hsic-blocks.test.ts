import { describe, expect, it } from 'vitest';
import { hsicBlocks } from './hsic-blocks.js';

describe("HSIC Lasso's block Gram matrices", () => {
  const n = 23;
  const p = 3;
  // Feature 0 varies, feature 1 is constant (its centered kernel vanishes), feature 2 varies.
  const x = Float32Array.from({ length: n * p }, (_, e) => {
    const i = Math.floor(e / p);
    const k = e % p;
    return k === 1 ? 0.7 : Math.sin(1.3 * i + k);
  });
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const B = 5;
  const { design, target } = hsicBlocks(x, n, p, labels, {
    blockSize: B,
    permutations: 2,
    seed: 4,
  });

  it('stacks ⌊n/B⌋ blocks of B² entries per sample order', () => {
    expect(design.rows).toBe(2 * Math.floor(n / B) * B * B);
    expect(design.cols).toBe(p);
    expect(target).toHaveLength(design.rows);
  });

  it('centers every block (HKH: rows and columns sum to 0) and scales it to unit Frobenius norm', () => {
    const blocks = design.rows / (B * B);
    const columns = [
      target,
      ...[0, 2].map((k) => design.data.subarray(k * design.rows, (k + 1) * design.rows)),
    ];
    let zeroBlocks = 0;
    for (const column of columns)
      for (let b = 0; b < blocks; b++) {
        const block = column.subarray(b * B * B, (b + 1) * B * B);
        let frobenius = 0;
        for (let i = 0; i < B; i++) {
          let row = 0;
          let col = 0;
          for (let j = 0; j < B; j++) {
            row += block[i * B + j] as number;
            col += block[j * B + i] as number;
            frobenius += (block[i * B + j] as number) ** 2;
          }
          expect(row).toBeCloseTo(0, 12);
          expect(col).toBeCloseTo(0, 12);
        }
        // a block whose kernel is constant (one class only, for the target) is left at 0
        if (block.some((v) => v !== 0)) expect(frobenius).toBeCloseTo(1, 12);
        else zeroBlocks++;
      }
    expect(zeroBlocks).toBeLessThan(blocks); // most blocks mix the classes
  });

  it('leaves a constant feature at 0 and gives the same blocks for the same seed', () => {
    const constant = design.data.subarray(design.rows, 2 * design.rows);
    expect(constant.every((v) => v === 0)).toBe(true);
    const again = hsicBlocks(x, n, p, labels, { blockSize: B, permutations: 2, seed: 4 });
    expect(again.design.data).toEqual(design.data);
    expect(again.target).toEqual(target);
    const other = hsicBlocks(x, n, p, labels, { blockSize: B, permutations: 2, seed: 5 });
    expect(other.target).not.toEqual(target);
  });
});
