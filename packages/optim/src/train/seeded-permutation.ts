import { fisherYates, mulberry32 } from '@spredjs/core';

/**
 * spred's seeded uniform source, re-exported from `@spredjs/core` (where it lives) for the code that
 * has always imported it from here.
 */
export { mulberry32 };

/**
 * The sample order of one epoch: a Fisher–Yates shuffle of 0…n−1 seeded by (seed, epoch) alone,
 * so that a run resumed at any epoch sees the same batches as an uninterrupted one.
 */
export function epochPermutation(n: number, seed: number, epoch: number): Int32Array {
  const random = mulberry32(
    (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0,
  );
  return fisherYates(
    Int32Array.from({ length: n }, (_, i) => i),
    random,
  );
}
