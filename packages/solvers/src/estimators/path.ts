import { SpredInputError } from '@spred/core/errors';
import { checkAlpha } from '../penalties/check-alpha.js';
import { toDesignMatrix, toTargets, type MatrixInput } from '../data/design-matrix.js';
import { squaredLoss } from '../datafits/squared.js';
import type { Penalty } from '../penalties/penalty.js';
import { penaltyFor, type PenaltyName, type PenaltySpec } from '../penalties/penalty-for.js';
import { dualityGap, type Coefficients } from '../solvers/problem.js';
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

/**
 * The smallest α whose solution is all zeros: the largest KKT ratio at W = 0
 * (‖Xᵀy‖∞/n for the lasso on centered data).
 */
export function alphaMax(
  x: MatrixInput,
  y: TargetInput,
  options: Pick<
    PathOptions,
    'penalty' | 'l1Ratio' | 'groups' | 'fitIntercept' | 'standardize'
  > = {},
): number {
  const design = toDesignMatrix(x);
  const targets = toTargets(y as readonly number[], design.rows);
  const k = targets.cols;
  const fitIntercept = options.fitIntercept ?? true;
  const { x: xp, y: yp } = preprocess(design, targets.data, k, {
    center: fitIntercept,
    centerY: fitIntercept,
    standardize: options.standardize ?? false,
  });
  const penalty = makePenalty(options, 1, design.cols);
  if (!penalty.convex)
    throw new SpredInputError(
      `α_max and paths need a convex penalty; ${penalty.name} is not (fit it at one α)`,
    );
  const at = dualityGap(
    { x: xp, y: yp, k, datafit: squaredLoss, penalty, fitIntercept: false },
    { w: new Float64Array(design.cols * k), intercept: new Float64Array(k) },
  );
  return Math.max(...penalty.kktRatio(at.negativeGradient, design.cols, k));
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
  const top = alphaMax(design, targets, options);
  if (!(top > 0))
    throw new SpredInputError(
      'α_max is 0: y is constant (or orthogonal to every feature), so every α gives w = 0',
    );
  const eps = options.eps ?? 1e-3;
  const nAlphas = options.nAlphas ?? 100;
  options.alphas?.forEach((a, i) => checkAlpha(a, `alphas[${i}]`));
  if (!(eps > 0 && eps < 1)) throw new SpredInputError(`eps must be in (0, 1), got ${String(eps)}`);
  if (!Number.isInteger(nAlphas) || nAlphas < 1)
    throw new SpredInputError(`nAlphas must be a positive integer, got ${String(nAlphas)}`);
  const alphas =
    options.alphas !== undefined
      ? [...options.alphas].sort((a, b) => b - a)
      : Array.from(
          { length: nAlphas },
          (_, i) => top * eps ** (nAlphas === 1 ? 0 : i / (nAlphas - 1)),
        );
  const fitIntercept = options.fitIntercept ?? true;
  const preprocessed = preprocess(design, targets.data, k, {
    center: fitIntercept,
    centerY: fitIntercept,
    standardize: options.standardize ?? false,
  });
  const path: RegularizationPath = {
    alphas,
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
      // At or above α_max the answer is exactly 0 (KKT at W = 0); no solver rounding noise.
      const zero = new Float64Array(d * k);
      const intercept = Array.from(preprocessed.prep.yMean);
      const at = dualityGap(
        {
          x: preprocessed.x,
          y: preprocessed.y,
          k,
          datafit: squaredLoss,
          penalty: makePenalty(options, alpha, d),
          fitIntercept: false,
        },
        { w: zero, intercept: new Float64Array(k) },
      );
      path.coefs.push(Array.from(zero));
      path.intercepts.push(fitIntercept ? intercept : new Array<number>(k).fill(0));
      path.gaps.push(at.gap);
      path.objectives.push(at.objective);
      path.nnz.push(0);
      path.iterations.push(0);
      path.seconds.push(0);
      path.converged.push(true);
      options.onAlpha?.(i + 1, alphas.length);
      continue;
    }
    const fit = fitLinear(design, targets.data, k, squaredLoss, makePenalty(options, alpha, d), {
      ...options,
      preprocessed,
      ...(warm === undefined ? {} : { warmStart: warm }),
    });
    warm = { w: fit.w, intercept: fit.intercept };
    path.coefs.push(Array.from(fit.w));
    path.intercepts.push(Array.from(fit.intercept));
    path.gaps.push(fit.dualityGap);
    path.objectives.push(fit.objective);
    let nnz = 0;
    for (let j = 0; j < d; j++) {
      let nonzero = false;
      for (let c = 0; c < k; c++) nonzero ||= (fit.w[j * k + c] as number) !== 0;
      if (nonzero) nnz++;
    }
    path.nnz.push(nnz);
    path.iterations.push(fit.nIter);
    path.seconds.push(fit.seconds);
    path.converged.push(fit.converged);
    options.onAlpha?.(i + 1, alphas.length);
  }
  return { ...path, alphas: alphas.slice(0, path.coefs.length) };
}
