import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx, readIdx, readIdxDataset } from './idx.js';
import { readCifarBatches } from './cifar.js';

const dir = mkdtempSync(join(tmpdir(), 'spred-data-'));

describe('IDX reader', () => {
  it('reads images and labels, gzipped or not', () => {
    writeFileSync(
      join(dir, 'img-idx3-ubyte.gz'),
      gzipSync(encodeIdx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])),
    );
    writeFileSync(join(dir, 'lab-idx1-ubyte'), encodeIdx([2], [7, 3]));
    const ds = readIdxDataset(join(dir, 'img-idx3-ubyte.gz'), join(dir, 'lab-idx1-ubyte'));
    expect(ds).toMatchObject({ count: 2, height: 2, width: 3, channels: 1 });
    expect(Array.from(ds.images.subarray(6))).toEqual([7, 8, 9, 10, 11, 12]);
    expect(Array.from(ds.labels)).toEqual([7, 3]);
  });

  it('rejects wrong magic numbers, truncated files and mismatched pairs', () => {
    writeFileSync(join(dir, 'bad'), Buffer.from([1, 2, 8, 1, 0, 0, 0, 1, 5]));
    expect(() => readIdx(join(dir, 'bad'))).toThrow(/bad: not an IDX file \(bad magic number\)/);
    writeFileSync(join(dir, 'short'), encodeIdx([3, 2, 2], new Array(12).fill(1)).subarray(0, 19));
    expect(() => readIdx(join(dir, 'short'))).toThrow(
      /short: truncated: the header promises 3 × 2 × 2 = 12 bytes of data, the file has 3/,
    );
    writeFileSync(join(dir, 'lab3'), encodeIdx([3], [1, 2, 3]));
    expect(() => readIdxDataset(join(dir, 'img-idx3-ubyte.gz'), join(dir, 'lab3'))).toThrow(
      /has 2 images but .*lab3 has 3 labels/,
    );
  });

  // The shared data sits beside the checkout (and CI's clone); without it the test is skipped.
  const fashionMnist = join(import.meta.dirname, '../../../../../shared/data/fashion-mnist');
  it.skipIf(!existsSync(fashionMnist))('reads the real Fashion-MNIST test set', () => {
    const root = fashionMnist;
    const ds = readIdxDataset(
      join(root, 't10k-images-idx3-ubyte.gz'),
      join(root, 't10k-labels-idx1-ubyte.gz'),
    );
    expect(ds).toMatchObject({ count: 10_000, height: 28, width: 28 });
    expect(Math.max(...ds.labels)).toBe(9);
  });
});

describe('CIFAR binary batches', () => {
  it('reads CIFAR-10 records channels-last and CIFAR-100 fine or coarse labels', () => {
    const record = (label: number[], fill: (ch: number, p: number) => number) =>
      Buffer.from([
        ...label,
        ...Array.from({ length: 3 * 1024 }, (_, q) => fill(Math.floor(q / 1024), q % 1024)),
      ]);
    writeFileSync(
      join(dir, 'c10.bin'),
      Buffer.concat([record([4], (ch) => ch * 100), record([9], (_, p) => p % 256)]),
    );
    const c10 = readCifarBatches([join(dir, 'c10.bin')], { variant: 'cifar10' });
    expect(c10).toMatchObject({ count: 2, height: 32, width: 32, channels: 3 });
    expect(Array.from(c10.labels)).toEqual([4, 9]);
    expect(Array.from(c10.images.subarray(0, 6))).toEqual([0, 100, 200, 0, 100, 200]);
    writeFileSync(
      join(dir, 'c100.bin'),
      record([3, 57], () => 1),
    );
    expect(
      Array.from(readCifarBatches([join(dir, 'c100.bin')], { variant: 'cifar100' }).labels),
    ).toEqual([57]);
    expect(
      Array.from(
        readCifarBatches([join(dir, 'c100.bin')], { variant: 'cifar100', label: 'coarse' }).labels,
      ),
    ).toEqual([3]);
  });

  it('rejects truncated files and impossible labels', () => {
    writeFileSync(join(dir, 'cut.bin'), Buffer.alloc(3000));
    expect(() => readCifarBatches([join(dir, 'cut.bin')], { variant: 'cifar10' })).toThrow(
      /cut\.bin: 3000 bytes is not a whole number of cifar10 records \(3073 bytes each\)/,
    );
    writeFileSync(join(dir, 'label.bin'), Buffer.concat([Buffer.from([200]), Buffer.alloc(3072)]));
    expect(() => readCifarBatches([join(dir, 'label.bin')], { variant: 'cifar10' })).toThrow(
      /record 0 has label 200, above 9/,
    );
  });
});
