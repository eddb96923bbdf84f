import { SpredInputError } from '@spredjs/core/errors';
import {
  readTensorInput,
  toDesignMatrix,
  toTargets,
  type MatrixInput,
} from '../data/design-matrix.js';
import { multiply } from '../data/linear-algebra.js';
import { squaredLoss } from '../datafits/squared.js';
import type { Penalty } from '../penalties/penalty.js';
import type { SolverRecord } from '../solvers/problem.js';
import {
  coefficientRows,
  fitLinear,
  fitReport,
  fitLinearAsync,
  type LinearFit,
  type LinearOptions,
} from './fit-linear.js';

/** Targets: one value per sample, or one row of k values per sample (multi-output). */
export type TargetInput = readonly number[] | Float64Array | Float32Array | MatrixInput;

/**
 * The shell every squared-loss estimator shares: hyper-parameters in the constructor, `fit`
 * returns the estimator, results in plain fields. Subclasses only say which penalty they use.
 * Objective: (1/2n)‖y − Xw − b‖² + Ω(w), scikit-learn's scaling, so α compares one to one.
 */
export abstract class SparseRegressor<Options extends LinearOptions> {
  /** Coefficients: one per feature (single output) — see `coefMatrix` for multi-output. */
  coef: number[] = [];
  /** d × k coefficients, one row per feature. */
  coefMatrix: number[][] = [];
  intercept = 0;
  interceptVector: number[] = [];
  /** Solver iterations (CD epochs, FISTA steps, spred's L-BFGS iterations). */
  nIter = 0;
  /** Duality gap at the solution (NaN for nonconvex penalties). */
  dualityGap = NaN;
  objective = NaN;
  converged = false;
  /** Magnitude under which spred set coefficients to exact zeros (0 for exact solvers). */
  threshold = 0;
  history: readonly SolverRecord[] = [];
  seconds = 0;
  solver = 'spred';
  nFeaturesIn = 0;
  protected fitted = false;

  constructor(readonly options: Options) {}

  /** The penalty for d features and k outputs. */
  protected abstract penalty(d: number, k: number): Penalty;

  /** Whether y must have one column (Lasso) or may have several (MultiTaskLasso). */
  protected readonly multiOutput: boolean = false;

  fit(x: MatrixInput, y: TargetInput): this {
    const { design, targets } = this.inputs(x, y);
    this.store(
      fitLinear(
        design,
        targets.data,
        targets.cols,
        squaredLoss,
        this.penalty(design.cols, targets.cols),
        this.options,
      ),
      design.cols,
      targets.cols,
    );
    return this;
  }

  /**
   * Like `fit`, for every solver setting: spred on tensors (`spred: { device: 'tensor' }`, or
   * mini-batch `spred: { optimizer: 'adam', batchSize }`) trains asynchronously, and tensor inputs
   * are read through `await data()` — so it runs where synchronous reads throw (WebGPU in Node).
   */
  async fitAsync(x: MatrixInput, y: TargetInput): Promise<this> {
    const { design, targets } = this.inputs(await readTensorInput(x), await readTensorInput(y));
    this.store(
      await fitLinearAsync(
        design,
        targets.data,
        targets.cols,
        squaredLoss,
        this.penalty(design.cols, targets.cols),
        this.options,
      ),
      design.cols,
      targets.cols,
    );
    return this;
  }

  private inputs(x: MatrixInput, y: TargetInput) {
    const design = toDesignMatrix(x);
    const targets = toTargets(y as readonly number[], design.rows);
    if (!this.multiOutput && targets.cols !== 1) {
      throw new SpredInputError(
        `y has ${targets.cols} columns; ${this.constructor.name} fits one output (use MultiTaskLasso for several)`,
      );
    }
    return { design, targets };
  }

  protected store(fit: LinearFit, d: number, k: number): void {
    this.coefMatrix = coefficientRows(fit.w, d, k);
    this.coef = k === 1 ? Array.from(fit.w) : [];
    this.interceptVector = Array.from(fit.intercept);
    this.intercept = fit.intercept[0] as number;
    Object.assign(this, fitReport(fit));
    this.solver = fit.solver;
    this.nFeaturesIn = d;
    this.fitted = true;
  }

  /** XW + b: a value per sample (single output) or a row of k values. */
  predict(x: MatrixInput): number[] | number[][] {
    const z = this.linearPredictions(x);
    const { n, k, values } = z;
    if (k === 1) return Array.from(values);
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: k }, (_, c) => values[c * n + i] as number),
    );
  }

  /** R² of the predictions (averaged over outputs). */
  score(x: MatrixInput, y: TargetInput): number {
    const { n, k, values } = this.linearPredictions(x);
    const targets = toTargets(y as readonly number[], n);
    let total = 0;
    for (let c = 0; c < k; c++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += targets.data[c * n + i] as number;
      mean /= n;
      let ssRes = 0;
      let ssTot = 0;
      for (let i = 0; i < n; i++) {
        ssRes += ((targets.data[c * n + i] as number) - (values[c * n + i] as number)) ** 2;
        ssTot += ((targets.data[c * n + i] as number) - mean) ** 2;
      }
      total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
    }
    return total / k;
  }

  /** Number of nonzero coefficients (rows with any nonzero for multi-output). */
  get nnz(): number {
    return this.coefMatrix.filter((row) => row.some((v) => v !== 0)).length;
  }

  protected linearPredictions(x: MatrixInput): { n: number; k: number; values: Float64Array } {
    if (!this.fitted)
      throw new SpredInputError(`${this.constructor.name} is not fitted yet: call fit(X, y) first`);
    const design = toDesignMatrix(x);
    if (design.cols !== this.nFeaturesIn)
      throw new SpredInputError(
        `X has ${design.cols} features but the model was fitted with ${this.nFeaturesIn}`,
      );
    const k = this.interceptVector.length;
    const w = Float64Array.from(this.coefMatrix.flat());
    const values = multiply(design, w, k);
    for (let c = 0; c < k; c++)
      for (let i = 0; i < design.rows; i++)
        values[c * design.rows + i] =
          (values[c * design.rows + i] as number) + (this.interceptVector[c] as number);
    return { n: design.rows, k, values };
  }
}
