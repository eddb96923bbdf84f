import { SpredInputError } from '@spredjs/core';
import type { ExpressionSet, LabeledData } from '@spredjs/genomics';
import type { DesignMatrix } from '@spredjs/solvers';

/** A regression problem read from expression data. */
export interface RegressionData {
  readonly x: DesignMatrix;
  readonly y: Float64Array;
  /** The probe regressed on the others. */
  readonly target: string;
}

/** A binary classification problem: X standardized, labels 0/1. */
export interface ClassificationData {
  readonly x: DesignMatrix;
  /** 0 for classes[0], 1 for classes[1]. */
  readonly labels: Float64Array;
  readonly classes: readonly [string, string];
}

function checkFinite(values: Float64Array, what: string): void {
  const k = values.findIndex((v) => !Number.isFinite(v));
  if (k >= 0) throw new SpredInputError(`${what} has a missing or non-finite value at entry ${k}`);
}

/**
 * Neighbourhood selection's regression (Meinshausen & Bühlmann): the first probe as y, every other
 * probe as a column of X, samples as rows.
 *
 * @example
 * ```ts
 * const { x, y } = firstProbeOnTheRest(readExpressionFolder(ALL_DIR)); // 128 × 12,624
 * ```
 */
export function firstProbeOnTheRest(set: ExpressionSet): RegressionData {
  checkFinite(set.values, 'the expression table');
  const n = set.samples.length;
  const p = set.features.length;
  const d = p - 1;
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = set.values[i * p] as number;
    for (let j = 0; j < d; j++) data[j * n + i] = set.values[i * p + j + 1] as number;
  }
  return { x: { rows: n, cols: d, data }, y, target: set.features[0] as string };
}

/**
 * A two-class task with every gene scaled to mean 0 and variance 1 (population variance, as
 * scikit-learn's StandardScaler; a constant gene becomes 0), so that every solver reads the same
 * standardized X.
 *
 * @example
 * ```ts
 * const task = standardizedBinaryTask(labeledData(set, 'mol.biol', { classes: ['BCR/ABL', 'NEG'] }));
 * ```
 */
export function standardizedBinaryTask(data: LabeledData): ClassificationData {
  if (data.classes.length !== 2)
    throw new SpredInputError(
      `a binary task needs 2 classes, got ${data.classes.length} (${data.classes.join(', ')})`,
    );
  checkFinite(data.values, 'the expression table');
  const n = data.samples.length;
  const p = data.features.length;
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data.values[i * p + j] as number;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += ((data.values[i * p + j] as number) - mean) ** 2;
    const sd = Math.sqrt(variance / n);
    for (let i = 0; i < n; i++)
      x[j * n + i] = sd > 0 ? ((data.values[i * p + j] as number) - mean) / sd : 0;
  }
  return {
    x: { rows: n, cols: p, data: x },
    labels: Float64Array.from(data.labels),
    classes: [data.classes[0] as string, data.classes[1] as string],
  };
}
