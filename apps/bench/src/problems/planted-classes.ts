import { boxMuller, mulberry32 } from '@spredjs/core';

/** A classification problem with known weights or known inputs, as plain arrays. */
export interface PlantedClasses {
  /** n rows of d standard-normal features. */
  readonly x: number[][];
  /** Class of every row, 0 … classes − 1. */
  readonly labels: number[];
  readonly classes: number;
}

/**
 * Multinomial logistic data: `informative` of the d features carry standard-normal class weights
 * (the rest none), and each label is drawn from the softmax of x·B (a well-posed L1 problem: the
 * classes overlap, so the weights stay finite).
 */
export function multinomialProblem(
  n: number,
  d: number,
  classes: number,
  informative: number,
  seed: number,
): PlantedClasses {
  const normal = boxMuller(mulberry32(seed));
  const uniform = mulberry32(seed + 1);
  const weights = Array.from({ length: d }, (_, j) =>
    Array.from({ length: classes }, () => (j < informative ? normal() : 0)),
  );
  const x = Array.from({ length: n }, () => Array.from({ length: d }, () => normal()));
  const labels = x.map((row) => {
    const scores = weights[0]!.map((_, c) =>
      Math.exp(row.reduce((s, v, j) => s + v * (weights[j]![c] as number), 0)),
    );
    let u = uniform() * scores.reduce((a, b) => a + b, 0);
    for (let c = 0; c < classes; c++) {
      u -= scores[c] as number;
      if (u <= 0) return c;
    }
    return classes - 1;
  });
  return { x, labels, classes };
}

/** The inputs {@link plantedInteraction} uses: x0 and x1 only through their product. */
export const PLANTED_INPUTS = [0, 1, 2, 3] as const;

/**
 * Three classes from 4 of d standard-normal inputs: the class is the largest of x2, x3 and
 * x0·x1. x0 and x1 act only through their product, which no linear model sees (each alone is
 * uncorrelated with every class); the other d − 4 inputs are noise.
 */
export function plantedInteraction(n: number, d: number, seed: number): PlantedClasses {
  const normal = boxMuller(mulberry32(seed));
  const x = Array.from({ length: n }, () => Array.from({ length: d }, () => normal()));
  const labels = x.map((r) => {
    const scores = [r[2] as number, r[3] as number, (r[0] as number) * (r[1] as number)];
    return scores.indexOf(Math.max(...scores));
  });
  return { x, labels, classes: 3 };
}
