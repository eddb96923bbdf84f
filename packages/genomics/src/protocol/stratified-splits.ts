import { SpredInputError, fisherYates, mulberry32 } from '@spredjs/core';

/** One train/dev/test split: sample indices, each sorted. */
export interface Split {
  readonly train: Int32Array;
  readonly dev: Int32Array;
  readonly test: Int32Array;
}

/** Options of {@link stratifiedSplits}. */
export interface SplitOptions {
  /** Shares of train, dev and test; default [0.6, 0.2, 0.2] (the paper's). */
  readonly fractions?: readonly [number, number, number];
  /** Number of random splits; default 20. */
  readonly repeats?: number;
  /** Default 0; split r depends on seed and r only. */
  readonly seed?: number;
}

/**
 * Random stratified train/dev/test splits: every class is shuffled (seeded) and cut by the
 * fractions, so each part keeps the class proportions (at least one sample of every class in each
 * part). The three parts of a split are disjoint and cover every sample.
 */
export function stratifiedSplits(labels: Int32Array, options: SplitOptions = {}): Split[] {
  const [fTrain, fDev] = options.fractions ?? [0.6, 0.2, 0.2];
  const total = (options.fractions ?? [0.6, 0.2, 0.2]).reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9 || fTrain <= 0 || fDev <= 0 || fTrain + fDev >= 1)
    throw new SpredInputError(
      `split fractions must be positive and sum to 1, got ${(options.fractions ?? []).join(', ')}`,
    );
  const repeats = options.repeats ?? 20;
  const classes = Math.max(...labels) + 1;
  const members: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((l, i) => members[l]?.push(i));
  members.forEach((m, c) => {
    if (m.length < 3)
      throw new SpredInputError(
        `class ${c} has ${m.length} sample(s); a train/dev/test split needs at least 3 per class`,
      );
  });
  return Array.from({ length: repeats }, (_, r) => {
    const random = mulberry32(((options.seed ?? 0) * 1000003 + r * 7919 + 17) >>> 0);
    const parts: number[][] = [[], [], []];
    for (const m of members) {
      const order = fisherYates([...m], random);
      const nDev = Math.max(1, Math.round(fDev * order.length));
      const nTest = Math.max(1, Math.round((1 - fTrain - fDev) * order.length));
      const nTrain = order.length - nDev - nTest;
      parts[0]?.push(...order.slice(0, nTrain));
      parts[1]?.push(...order.slice(nTrain, nTrain + nDev));
      parts[2]?.push(...order.slice(nTrain + nDev));
    }
    const sorted = (a: number[]) => Int32Array.from(a.sort((x, y) => x - y));
    return {
      train: sorted(parts[0] ?? []),
      dev: sorted(parts[1] ?? []),
      test: sorted(parts[2] ?? []),
    };
  });
}
