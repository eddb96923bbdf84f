import { SpredInputError } from '@spredjs/core/errors';
import {
  readTensorInput,
  toDesignMatrix,
  type DesignMatrix,
  type MatrixInput,
} from '../data/design-matrix.js';
import { multiply } from '../data/linear-algebra.js';
import type { Datafit } from '../datafits/datafit.js';
import { logisticLoss } from '../datafits/logistic.js';
import { multinomialLoss } from '../datafits/multinomial.js';
import { penaltyFor, type PenaltySpec } from '../penalties/penalty-for.js';
import type { Penalty } from '../penalties/penalty.js';
import type { SolverRecord } from '../solvers/problem.js';
import type { Solver } from '../solvers/solver.js';
import {
  coefficientRows,
  fitLinear,
  fitReport,
  fitLinearAsync,
  type LinearFit,
  type LinearOptions,
  type SolverName,
} from './fit-linear.js';

/** Options of {@link SparseLogisticRegression}. */
export interface SparseLogisticOptions extends Omit<LinearOptions, 'solver'> {
  /** α in (1/n) Σ CE + α·Ω(W). */
  readonly alpha: number;
  /**
   * 'l1' (default): every coefficient on its own. 'rows': a feature is used for all classes or none
   * (L2,1 over the rows of W; for feature selection in multiclass problems). 'group': groups of
   * features (give `groups`).
   */
  readonly penalty?: LogisticPenaltyName;
  readonly groups?: ArrayLike<number>;
  /** Default 'spred'; 'fista' is the exact reference ('cd' handles squared loss only). */
  readonly solver?: Exclude<SolverName, 'cd'> | Solver;
}

/** Class labels: numbers or strings. */
export type Labels = readonly (number | string)[];

/** The penalties of sparse logistic regression (and its path). */
export type LogisticPenaltyName = 'l1' | 'rows' | 'group';

/**
 * The penalty of sparse logistic regression by name (default 'l1'), for d features; any other
 * name is refused with the names it takes.
 *
 * @example
 * ```ts
 * logisticPenalty('rows', 20, { alpha: 0.05 }); // L2,1 over the rows of W
 * ```
 */
export function logisticPenalty(
  kind: LogisticPenaltyName | undefined,
  d: number,
  spec: PenaltySpec,
): Penalty {
  const name = kind ?? 'l1';
  if (name !== 'l1' && name !== 'rows' && name !== 'group')
    throw new SpredInputError(`unknown penalty '${String(name)}': expected l1, rows or group`);
  return penaltyFor(name, d, spec);
}

/** Labels encoded for the logistic datafits: see {@link encodeLabels}. */
export interface EncodedLabels {
  /** The distinct labels, sorted (numbers numerically, strings by `localeCompare`). */
  readonly classes: (number | string)[];
  /** 0/1 for two classes (1 = classes[1]); one-hot columns (column-major n × k) for more. */
  readonly y: Float64Array;
  /** 1 for two classes (the log-odds of classes[1]), else the number of classes. */
  readonly k: number;
  readonly datafit: Datafit;
}

/**
 * The one label encoding of sparse logistic regression and its path: classes in sorted order, y
 * as 0/1 (two classes, binary cross-entropy) or one-hot columns (more, multinomial). `n` is the
 * number of rows of X, which the labels must match.
 *
 * @example
 * ```ts
 * encodeLabels(3, ['b', 'a', 'b']); // { classes: ['a', 'b'], y: [1, 0, 1], k: 1, datafit: logisticLoss }
 * ```
 */
export function encodeLabels(n: number, labels: Labels): EncodedLabels {
  if (labels.length !== n)
    throw new SpredInputError(`X has ${n} rows but y has ${labels.length} labels`);
  const classes = [...new Set(labels)].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
  );
  if (classes.length < 2)
    throw new SpredInputError(
      `y has a single class (${String(classes[0])}): a classifier needs at least two`,
    );
  const binary = classes.length === 2;
  const k = binary ? 1 : classes.length;
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = new Float64Array(n * k);
  labels.forEach((label, i) => {
    const c = index.get(label) as number;
    if (binary) y[i] = c;
    else y[c * n + i] = 1;
  });
  return { classes, y, k, datafit: binary ? logisticLoss : multinomialLoss };
}

/**
 * Class probabilities of a linear classifier: σ(xᵀw + b) for k = 1 (two classes, rows [1 − p, p]),
 * softmax(xᵀW + b) for k > 1. `w` is d × k row-major, `intercept` has k values.
 *
 * @example
 * ```ts
 * logisticProbabilities(toDesignMatrix([[1, 2]]), Float64Array.of(0.5, -0.5), [0]); // [[0.62…, 0.37…]]
 * ```
 */
export function logisticProbabilities(
  design: DesignMatrix,
  w: Float64Array,
  intercept: ArrayLike<number>,
): number[][] {
  const k = intercept.length;
  const z = multiply(design, w, k);
  const n = design.rows;
  return Array.from({ length: n }, (_, i) => {
    if (k === 1) {
      const p = 1 / (1 + Math.exp(-((z[i] as number) + (intercept[0] as number))));
      return [1 - p, p];
    }
    const logits = Array.from(
      { length: k },
      (_, c) => (z[c * n + i] as number) + (intercept[c] as number),
    );
    const max = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
}

/**
 * Sparse logistic regression: binary (two classes) or multinomial (more), with an L1, row (L2,1)
 * or group penalty and an unpenalized intercept. Objective (1/n) Σ_i CE(x_iᵀW + b, y_i) + αΩ(W)
 * (scikit-learn's LogisticRegression with C = 1/(nα)).
 *
 * @example
 * ```ts
 * const clf = new SparseLogisticRegression({ alpha: 0.01 }).fit(X, labels);
 * clf.predict(Xtest); clf.predictProba(Xtest); clf.score(Xtest, labelsTest);
 * ```
 */
export class SparseLogisticRegression {
  classes: (number | string)[] = [];
  /** d × k (k = 1 for two classes: the log-odds of classes[1]). */
  coefMatrix: number[][] = [];
  intercept: number[] = [];
  nIter = 0;
  dualityGap = NaN;
  objective = NaN;
  converged = false;
  threshold = 0;
  history: readonly SolverRecord[] = [];
  seconds = 0;
  nFeaturesIn = 0;

  constructor(readonly options: SparseLogisticOptions) {}

  fit(x: MatrixInput, labels: Labels): this {
    const design = toDesignMatrix(x);
    const { y, k, datafit, classes } = encodeLabels(design.rows, labels);
    this.store(
      fitLinear(design, y, k, datafit, this.penalty(design.cols), this.fitOptions()),
      classes,
      design.cols,
      k,
    );
    return this;
  }

  /**
   * Like `fit`, for every solver setting: spred on tensors (`spred: { device: 'tensor' }`, or
   * mini-batch `spred: { optimizer: 'adam', batchSize }`) trains asynchronously, and a tensor X is
   * read through `await data()` — so it runs where synchronous reads throw (WebGPU in Node).
   */
  async fitAsync(x: MatrixInput, labels: Labels): Promise<this> {
    const design = toDesignMatrix(await readTensorInput(x));
    const { y, k, datafit, classes } = encodeLabels(design.rows, labels);
    this.store(
      await fitLinearAsync(design, y, k, datafit, this.penalty(design.cols), this.fitOptions()),
      classes,
      design.cols,
      k,
    );
    return this;
  }

  private fitOptions() {
    return { ...this.options, solver: this.options.solver ?? ('spred' as const) };
  }

  private store(fit: LinearFit, classes: (number | string)[], d: number, k: number): void {
    this.classes = classes;
    this.coefMatrix = coefficientRows(fit.w, d, k);
    this.intercept = Array.from(fit.intercept);
    Object.assign(this, fitReport(fit));
    this.nFeaturesIn = d;
  }

  private penalty(d: number): Penalty {
    return logisticPenalty(this.options.penalty, d, this.options);
  }

  /** Class probabilities, one row of `classes.length` values per sample. */
  predictProba(x: MatrixInput): number[][] {
    if (this.classes.length === 0)
      throw new SpredInputError('SparseLogisticRegression is not fitted yet: call fit(X, y) first');
    const design = toDesignMatrix(x);
    if (design.cols !== this.nFeaturesIn)
      throw new SpredInputError(
        `X has ${design.cols} features but the model was fitted with ${this.nFeaturesIn}`,
      );
    return logisticProbabilities(design, Float64Array.from(this.coefMatrix.flat()), this.intercept);
  }

  predict(x: MatrixInput): (number | string)[] {
    return this.predictProba(x).map(
      (p) => this.classes[p.indexOf(Math.max(...p))] as number | string,
    );
  }

  /** Accuracy. */
  score(x: MatrixInput, labels: Labels): number {
    const predicted = this.predict(x);
    if (predicted.length !== labels.length)
      throw new SpredInputError(`X has ${predicted.length} rows but y has ${labels.length} labels`);
    return predicted.filter((p, i) => p === labels[i]).length / labels.length;
  }

  /** Features with a nonzero coefficient for any class. */
  get nnz(): number {
    return this.coefMatrix.filter((row) => row.some((v) => v !== 0)).length;
  }
}
