import { SpredInputError } from '@spredjs/core/errors';
import { toDesignMatrix, type MatrixInput } from '../data/design-matrix.js';
import { initialIntercept, type SparseProblem } from '../solvers/problem.js';
import type { Solver } from '../solvers/solver.js';
import { preprocess, type LinearOptions, type SolverName } from './fit-linear.js';
import {
  alphaGrid,
  followPath,
  kktAlphaMax,
  type AlphaGridOptions,
  type Preprocessed,
  type RegularizationPath,
} from './path.js';
import {
  encodeLabels,
  logisticPenalty,
  logisticProbabilities,
  type EncodedLabels,
  type Labels,
  type LogisticPenaltyName,
} from './sparse-logistic-regression.js';

/** Options of {@link logisticPath}. */
export interface LogisticPathOptions extends Omit<LinearOptions, 'solver'>, AlphaGridOptions {
  /** The α grid (any order; solved from the largest). Default: `nAlphas` values from α_max down to eps·α_max, log-spaced. */
  readonly alphas?: readonly number[];
  /** Default 10. */
  readonly nAlphas?: number;
  /** Default 1e-2: the last α is eps·α_max. */
  readonly eps?: number;
  /** Default 'l1'. 'rows': a feature is used for all classes or none (L2,1 over the rows of W). 'group': give `groups`. */
  readonly penalty?: LogisticPenaltyName;
  readonly groups?: ArrayLike<number>;
  /** Default 'spred'; 'fista' is the exact reference ('cd' handles squared loss only). */
  readonly solver?: Exclude<SolverName, 'cd'> | Solver;
  /** Called after each α, for progress. */
  readonly onAlpha?: (index: number, total: number) => void;
  /** Stops before the next α; the path then holds the alphas solved so far. */
  readonly signal?: AbortSignal;
}

/**
 * A logistic regularization path: one entry per α, from the largest. `coefs[i]` is the d × k
 * W at `alphas[i]` (row-major; k = 1 for two classes: the log-odds of `classes[1]`), with
 * `intercepts[i]` its k intercepts.
 */
export interface LogisticPath extends RegularizationPath {
  /** The distinct labels in sorted order: the columns of the probabilities. */
  readonly classes: (number | string)[];
}

type AlphaMaxOptions = Pick<
  LogisticPathOptions,
  'penalty' | 'groups' | 'fitIntercept' | 'standardize'
>;

/** The labels encoded, X preprocessed once, and the problem at α = 1 with its W = 0 intercept. */
function setUp(x: MatrixInput, labels: Labels, options: AlphaMaxOptions) {
  const design = toDesignMatrix(x);
  const encoded: EncodedLabels = encodeLabels(design.rows, labels);
  const fitIntercept = options.fitIntercept ?? true;
  // Cross-entropy fits its intercept as a variable: X is centered, the labels are not.
  const preprocessed: Preprocessed = preprocess(design, encoded.y, encoded.k, {
    center: fitIntercept,
    centerY: false,
    standardize: options.standardize ?? false,
  });
  const problem: SparseProblem = {
    x: preprocessed.x,
    y: preprocessed.y,
    k: encoded.k,
    datafit: encoded.datafit,
    penalty: logisticPenalty(options.penalty, design.cols, { ...options, alpha: 1 }),
    fitIntercept,
  };
  // Log-odds of the class frequencies (binary) or their logs (multinomial): the solvers' own start.
  const zeroIntercept = initialIntercept(problem);
  return {
    design,
    encoded,
    preprocessed,
    zeroIntercept,
    alphaMax: kktAlphaMax(problem, zeroIntercept),
  };
}

/**
 * The smallest α whose sparse logistic regression is W = 0 (with the intercept optimal there):
 * with π the class frequencies (ȳ for two classes), G = Xᵀ(Y − π)/n, α_max is the largest
 * ratio of a unit's dual norm of G to its penalty level (max_j,c |G_jc| for L1, max_j ‖G_j‖₂ for
 * 'rows'). Centering X does not change G, since Σ_i (Y_i − π) = 0.
 *
 * @example
 * ```ts
 * const top = logisticAlphaMax(X, labels); // new SparseLogisticRegression({ alpha: top }) selects nothing
 * ```
 */
export function logisticAlphaMax(
  x: MatrixInput,
  labels: Labels,
  options: AlphaMaxOptions = {},
): number {
  return setUp(x, labels, options).alphaMax;
}

/**
 * Sparse logistic regression over a grid of α from α_max down, each fit warm-started from the
 * previous solution on one preprocessing of X, as glmnet does: binary (two classes) or
 * multinomial (more), objective (1/n) Σ_i CE(x_iᵀW + b, y_i) + αΩ(W) with an unpenalized b, as
 * {@link SparseLogisticRegression} fits at one α. At α ≥ α_max the answer is exactly W = 0 with
 * the log-odds (multinomial: log-frequencies) of the classes. Each point is certified by its
 * duality gap (≤ tol × the objective at W = 0 when `converged`). Read a point's probabilities
 * with {@link logisticPathProba}.
 *
 * @example
 * ```ts
 * const path = logisticPath(X, labels, { nAlphas: 10, eps: 1e-2 });
 * path.nnz; // genes in use, growing as α falls
 * logisticPathProba(path, 9, Xtest); // class probabilities at the smallest α
 * ```
 */
export function logisticPath(
  x: MatrixInput,
  labels: Labels,
  options: LogisticPathOptions = {},
): LogisticPath {
  const { design, encoded, preprocessed, zeroIntercept, alphaMax } = setUp(x, labels, options);
  if (!(alphaMax > 0))
    throw new SpredInputError(
      'α_max is 0: no feature is correlated with the labels (constant X?), so every α gives W = 0',
    );
  const alphas = alphaGrid(alphaMax, options, { nAlphas: 10, eps: 1e-2 });
  const path = followPath(
    {
      design,
      y: encoded.y,
      k: encoded.k,
      datafit: encoded.datafit,
      preprocessed,
      penalty: (alpha) => logisticPenalty(options.penalty, design.cols, { ...options, alpha }),
      alphas,
      alphaMax,
      zeroIntercept,
    },
    options,
  );
  return { ...path, classes: encoded.classes };
}

/**
 * Class probabilities at point `index` of a logistic path, without refitting: one row of
 * `path.classes.length` values per row of X (the predictions of SparseLogisticRegression).
 *
 * @example
 * ```ts
 * const path = logisticPath(X, labels);
 * const p = logisticPathProba(path, path.alphas.length - 1, Xtest); // p[i][c]: P(classes[c] | x_i)
 * ```
 */
export function logisticPathProba(path: LogisticPath, index: number, x: MatrixInput): number[][] {
  const coefs = path.coefs[index];
  const intercept = path.intercepts[index];
  if (!Number.isInteger(index) || coefs === undefined || intercept === undefined)
    throw new SpredInputError(
      `index must be an integer from 0 to ${path.coefs.length - 1} (the path's points), got ${String(index)}`,
    );
  const design = toDesignMatrix(x);
  const d = coefs.length / intercept.length;
  if (design.cols !== d)
    throw new SpredInputError(`X has ${design.cols} features but the path was fitted with ${d}`);
  return logisticProbabilities(design, Float64Array.from(coefs), intercept);
}
