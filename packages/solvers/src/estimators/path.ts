import { SpredInputError } from '@spredjs/core/errors';
import { checkAlpha } from '../penalties/check-alpha.js';
import {
  toDesignMatrix,
  toTargets,
  type DesignMatrix,
  type MatrixInput,
} from '../data/design-matrix.js';
import { squaredLoss } from '../datafits/squared.js';
import type { Penalty } from '../penalties/penalty.js';
import { penaltyFor, type PenaltyName, type PenaltySpec } from '../penalties/penalty-for.js';
import type { Datafit } from '../datafits/datafit.js';
import { dualityGap, type Coefficients, type SparseProblem } from '../solvers/problem.js';
import { fitLinear, preprocess, type LinearOptions } from './fit-linear.js';
import type { TargetInput } from './sparse-regressor.js';

/** Options of {@link lassoPath}. */
export interface PathOptions extends LinearOptions, Omit<PenaltySpec, 'alpha'> {
  /** The α grid (any order; solved from the largest). Default: `nAlphas` values from α_max down to eps·α_max, log-spaced. */
  readonly alphas?: readonly number[];
  readonly nAlphas?: number;
  /** Default 1e-3. */
  readonly eps?: number;
  /** Default 'l1' (with `weights` or `depth` too). 'rows' is the multi-task lasso (several outputs). */
  readonly penalty?: PenaltyName;
  /** Called after each α, for progress. */
  readonly onAlpha?: (index: number, total: number) => void;
  /** Stops before the next α; the path then holds the alphas solved so far. */
  readonly signal?: AbortSignal;
}

/** A regularization path: one entry per α, from the largest. */
export interface RegularizationPath {
  readonly alphas: number[];
  readonly alphaMax: number;
  /** coefs[i]: the d × k coefficients (row-major; d values for one output) at alphas[i]. */
  readonly coefs: number[][];
  readonly intercepts: number[][];
  readonly gaps: number[];
  readonly objectives: number[];
  /** Features (rows) with a nonzero coefficient. */
  readonly nnz: number[];
  readonly iterations: number[];
  readonly seconds: number[];
  readonly converged: boolean[];
}

function makePenalty(options: PathOptions, alpha: number, d: number): Penalty {
  return penaltyFor(options.penalty ?? 'l1', d, { ...options, alpha });
}

/** A preprocessed problem: X (and y) centered or scaled once, for α_max and every fit of a path. */
export type Preprocessed = ReturnType<typeof preprocess>;

/**
 * The largest KKT ratio at W = 0 with the given intercept (the one optimal at W = 0): the smallest
 * α whose solution is W = 0. `problem` is the preprocessed problem at α = 1.
 */
export function kktAlphaMax(problem: SparseProblem, intercept: Float64Array): number {
  const { penalty, k } = problem;
  const d = problem.x.cols;
  if (!penalty.convex)
    throw new SpredInputError(
      `α_max and paths need a convex penalty; ${penalty.name} is not (fit it at one α)`,
    );
  const at = dualityGap(problem, { w: new Float64Array(d * k), intercept });
  return Math.max(...penalty.kktRatio(at.negativeGradient, d, k));
}

/** The α grid options of a path (each path has its own defaults). */
export interface AlphaGridOptions {
  readonly alphas?: readonly number[];
  readonly nAlphas?: number;
  readonly eps?: number;
}

/**
 * The α grid of a path, largest first: the given `alphas` (each checked by `checkAlpha`), or
 * `nAlphas` values log-spaced from α_max down to eps·α_max. Checks `eps` and `nAlphas` with one
 * wording for every path.
 */
export function alphaGrid(
  top: number,
  options: AlphaGridOptions,
  defaults: { readonly nAlphas: number; readonly eps: number },
): number[] {
  const eps = options.eps ?? defaults.eps;
  const nAlphas = options.nAlphas ?? defaults.nAlphas;
  options.alphas?.forEach((a, i) => checkAlpha(a, `alphas[${i}]`));
  if (!(eps > 0 && eps < 1)) throw new SpredInputError(`eps must be in (0, 1), got ${String(eps)}`);
  if (!Number.isInteger(nAlphas) || nAlphas < 1)
    throw new SpredInputError(`nAlphas must be a positive integer, got ${String(nAlphas)}`);
  return options.alphas !== undefined
    ? [...options.alphas].sort((a, b) => b - a)
    : Array.from(
        { length: nAlphas },
        (_, i) => top * eps ** (nAlphas === 1 ? 0 : i / (nAlphas - 1)),
      );
}

/** Everything {@link followPath} needs besides the solver options. */
export interface PathSetting {
  readonly design: DesignMatrix;
  /** Targets as the datafit reads them (column-major n × k). */
  readonly y: Float64Array;
  readonly k: number;
  readonly datafit: Datafit;
  readonly preprocessed: Preprocessed;
  readonly penalty: (alpha: number) => Penalty;
  readonly alphas: readonly number[];
  readonly alphaMax: number;
  /** The intercept at W = 0 (optimal there), reported for every α ≥ α_max. */
  readonly zeroIntercept: Float64Array;
}

/**
 * Solves a path: one fit per α (largest first), each warm-started from the previous solution on
 * the one preprocessed problem; at or above α_max the answer is exactly W = 0 with the intercept
 * that is optimal there (KKT at W = 0), without solver rounding noise.
 */
export function followPath(
  setting: PathSetting,
  options: LinearOptions & Pick<PathOptions, 'onAlpha' | 'signal'>,
): RegularizationPath {
  const { design, y, k, datafit, preprocessed, alphas, alphaMax: top, zeroIntercept } = setting;
  const d = design.cols;
  const squared = datafit.name === 'squared';
  const fitIntercept = options.fitIntercept ?? true;
  const path: RegularizationPath = {
    alphas: [],
    alphaMax: top,
    coefs: [],
    intercepts: [],
    gaps: [],
    objectives: [],
    nnz: [],
    iterations: [],
    seconds: [],
    converged: [],
  };
  let warm: Coefficients | undefined;
  for (const [i, alpha] of alphas.entries()) {
    if (options.signal?.aborted === true) break;
    if (alpha >= top) {
      const zero = new Float64Array(d * k);
      const at = dualityGap(
        {
          x: preprocessed.x,
          y: preprocessed.y,
          k,
          datafit,
          penalty: setting.penalty(alpha),
          fitIntercept: fitIntercept && !squared,
        },
        { w: zero, intercept: squared ? new Float64Array(k) : zeroIntercept },
      );
      path.coefs.push(Array.from(zero));
      path.intercepts.push(Array.from(zeroIntercept));
      path.gaps.push(at.gap);
      path.objectives.push(at.objective);
      path.nnz.push(0);
      path.iterations.push(0);
      path.seconds.push(0);
      path.converged.push(true);
    } else {
      const fit = fitLinear(design, y, k, datafit, setting.penalty(alpha), {
        ...options,
        preprocessed,
        ...(warm === undefined ? {} : { warmStart: warm }),
      });
      warm = { w: fit.w, intercept: fit.intercept };
      path.coefs.push(Array.from(fit.w));
      path.intercepts.push(Array.from(fit.intercept));
      path.gaps.push(fit.dualityGap);
      path.objectives.push(fit.objective);
      path.nnz.push(nonzeroRows(fit.w, d, k));
      path.iterations.push(fit.nIter);
      path.seconds.push(fit.seconds);
      path.converged.push(fit.converged);
    }
    path.alphas.push(alpha);
    options.onAlpha?.(i + 1, alphas.length);
  }
  return path;
}

/** Features (rows of the d × k row-major W) with any nonzero coefficient. */
function nonzeroRows(w: Float64Array, d: number, k: number): number {
  let nnz = 0;
  for (let j = 0; j < d; j++) {
    let nonzero = false;
    for (let c = 0; c < k; c++) nonzero ||= (w[j * k + c] as number) !== 0;
    if (nonzero) nnz++;
  }
  return nnz;
}

type AlphaMaxOptions = Pick<
  PathOptions,
  | 'penalty'
  | 'l1Ratio'
  | 'groups'
  | 'groupWeights'
  | 'weights'
  | 'depth'
  | 'fitIntercept'
  | 'standardize'
>;

/** The lasso's preprocessing: X and y centered (with an intercept), X scaled if asked. */
function preprocessSquared(
  design: DesignMatrix,
  y: Float64Array,
  k: number,
  options: AlphaMaxOptions,
): Preprocessed {
  const fitIntercept = options.fitIntercept ?? true;
  return preprocess(design, y, k, {
    center: fitIntercept,
    centerY: fitIntercept,
    standardize: options.standardize ?? false,
  });
}

function squaredAlphaMax(preprocessed: Preprocessed, k: number, options: AlphaMaxOptions): number {
  const d = preprocessed.x.cols;
  return kktAlphaMax(
    {
      x: preprocessed.x,
      y: preprocessed.y,
      k,
      datafit: squaredLoss,
      penalty: makePenalty(options, 1, d),
      fitIntercept: false,
    },
    new Float64Array(k),
  );
}

/**
 * The smallest α whose solution is all zeros: the largest KKT ratio at W = 0
 * (‖Xᵀy‖∞/n for the lasso on centered data).
 */
export function alphaMax(x: MatrixInput, y: TargetInput, options: AlphaMaxOptions = {}): number {
  const design = toDesignMatrix(x);
  const targets = toTargets(y as readonly number[], design.rows);
  const k = targets.cols;
  return squaredAlphaMax(preprocessSquared(design, targets.data, k, options), k, options);
}

/**
 * Solves (1/2n)‖y − Xw − b‖² + αΩ(w) over a grid of α from α_max down, each warm-started from the
 * previous solution, as glmnet does; reports coefficients, gaps and support sizes along the path.
 *
 * @example
 * ```ts
 * const path = lassoPath(X, y, { nAlphas: 50, eps: 1e-2 });
 * path.nnz; // support sizes, growing as α falls
 * ```
 */
export function lassoPath(
  x: MatrixInput,
  y: TargetInput,
  options: PathOptions = {},
): RegularizationPath {
  const design = toDesignMatrix(x);
  const targets = toTargets(y as readonly number[], design.rows);
  const k = targets.cols;
  const d = design.cols;
  if (k > 1 && (options.penalty ?? 'l1') !== 'rows')
    throw new SpredInputError(
      `y has ${k} columns: use penalty 'rows' (multi-task lasso) for several outputs`,
    );
  const preprocessed = preprocessSquared(design, targets.data, k, options);
  const top = squaredAlphaMax(preprocessed, k, options);
  if (!(top > 0))
    throw new SpredInputError(
      'α_max is 0: y is constant (or orthogonal to every feature), so every α gives w = 0',
    );
  return followPath(
    {
      design,
      y: targets.data,
      k,
      datafit: squaredLoss,
      preprocessed,
      penalty: (alpha) => makePenalty(options, alpha, d),
      alphas: alphaGrid(top, options, { nAlphas: 100, eps: 1e-3 }),
      alphaMax: top,
      zeroIntercept: preprocessed.prep.yMean,
    },
    options,
  );
}
