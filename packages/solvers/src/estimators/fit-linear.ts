import { SpredInputError } from '@spredjs/core/errors';
import { checkAlpha } from '../penalties/check-alpha.js';
import {
  rowMajorDesign,
  toDesignMatrix,
  type DesignMatrix,
  type MatrixInput,
} from '../data/design-matrix.js';
import type { Datafit } from '../datafits/datafit.js';
import type { Penalty } from '../penalties/penalty.js';
import type { Coefficients, SolveResult, SolverRecord, SparseProblem } from '../solvers/problem.js';
import {
  coordinateDescentSolver,
  fistaSolver,
  spredSolver,
  type Solver,
  type WorkingSetSolverOptions,
} from '../solvers/solver.js';
import type { SpredTensorOptions } from '../tensor/spred-tensor.js';

/** Which algorithm fits: spred (the product) or an exact reference. */
export type SolverName = 'spred' | 'cd' | 'fista';

/**
 * Settings of solver 'spred'. The float64 solver takes the working-set settings. `device:
 * 'tensor'` (or a mini-batch `optimizer`) computes on tfjs tensors instead, for GPUs and data
 * too large for one batch: asynchronous only (`fitAsync`), and it loads tfjs then.
 */
export type SpredOptions = WorkingSetSolverOptions &
  Omit<SpredTensorOptions, 'tol' | 'maxIterations' | 'warmStart' | 'signal'> & {
    readonly device?: 'cpu' | 'tensor';
  };

/** Options every linear estimator takes. */
export interface LinearOptions {
  /** Fit an unpenalized intercept. Default true. */
  readonly fitIntercept?: boolean;
  /** Scale every feature to unit variance before fitting (glmnet's default; coefficients are reported on the original scale). Default false. */
  readonly standardize?: boolean;
  /** Default 'spred'. 'cd' (coordinate descent) handles squared loss; 'fista' every convex problem. Or any {@link Solver}. */
  readonly solver?: SolverName | Solver;
  /** Stop when the duality gap ≤ tol × (objective at 0). Default 1e-6. */
  readonly tol?: number;
  /** Iteration cap of the solver (CD epochs, FISTA steps, L-BFGS iterations). */
  readonly maxIter?: number;
  /** spred only: working sets (default true), or the tensor device. */
  readonly spred?: SpredOptions;
}

/** What a fit produces, on the original scale of the features. */
export interface LinearFit {
  /** d × k, row-major (one row per feature). */
  readonly w: Float64Array;
  readonly intercept: Float64Array;
  readonly objective: number;
  readonly dualityGap: number;
  readonly nIter: number;
  readonly converged: boolean;
  readonly threshold: number;
  readonly history: readonly SolverRecord[];
  readonly seconds: number;
  readonly solver: string;
}

/** The solver's report, as every estimator exposes it in plain fields. */
export function fitReport(fit: LinearFit) {
  const { nIter, dualityGap, objective, converged, threshold, history, seconds } = fit;
  return { nIter, dualityGap, objective, converged, threshold, history, seconds };
}

/** d × k row-major coefficients as d rows of k values. */
export function coefficientRows(w: Float64Array, d: number, k: number): number[][] {
  return Array.from({ length: d }, (_, j) => Array.from(w.subarray(j * k, j * k + k)));
}

/** Centering and scaling applied to X (and y for squared loss), to undo on the coefficients. */
export interface Preprocessing {
  readonly xMean: Float64Array;
  readonly xScale: Float64Array;
  readonly yMean: Float64Array;
}

/** Centers (and scales) the columns of X; constant columns cannot be standardized. */
export function preprocess(
  x: DesignMatrix,
  y: Float64Array,
  k: number,
  options: { center: boolean; centerY: boolean; standardize: boolean },
): { x: DesignMatrix; y: Float64Array; prep: Preprocessing } {
  const n = x.rows;
  const d = x.cols;
  const xMean = new Float64Array(d);
  const xScale = new Float64Array(d).fill(1);
  const changes = options.center || options.standardize;
  const constant = (j: number, mean: number) =>
    new SpredInputError(
      `feature ${j} of X is constant (all values ${mean}): it cannot be standardized; drop it or pass standardize: false`,
    );
  // X is copied only when it changes (a wide X is the largest thing a fit holds), in the order
  // it came: a row-major X stays row-major.
  let xp: DesignMatrix = x;
  if (changes && x.rowMajor !== undefined) {
    const values = Float64Array.from(x.rowMajor);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) + (values[i * d + j] as number);
    for (let j = 0; j < d; j++) xMean[j] = (xMean[j] as number) / n;
    if (options.standardize) {
      const variance = new Float64Array(d);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < d; j++)
          variance[j] =
            (variance[j] as number) + ((values[i * d + j] as number) - (xMean[j] as number)) ** 2;
      for (let j = 0; j < d; j++) {
        const mean = xMean[j] as number;
        const sd = Math.sqrt((variance[j] as number) / n);
        if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) throw constant(j, mean);
        xScale[j] = sd;
      }
    }
    if (!options.center) xMean.fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++)
        values[i * d + j] =
          ((values[i * d + j] as number) - (xMean[j] as number)) / (xScale[j] as number);
    xp = rowMajorDesign(n, d, values);
  } else if (changes) {
    const data = Float64Array.from(x.data);
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += data[j * n + i] as number;
      mean /= n;
      if (options.center) xMean[j] = mean;
      if (options.standardize) {
        let v = 0;
        for (let i = 0; i < n; i++) v += ((data[j * n + i] as number) - mean) ** 2;
        const sd = Math.sqrt(v / n);
        if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) throw constant(j, mean);
        xScale[j] = sd;
      }
      const m = xMean[j] as number;
      const s = xScale[j] as number;
      if (m !== 0 || s !== 1)
        for (let i = 0; i < n; i++) data[j * n + i] = ((data[j * n + i] as number) - m) / s;
    }
    xp = { rows: n, cols: d, data };
  }
  const yMean = new Float64Array(k);
  const yc = Float64Array.from(y);
  if (options.centerY) {
    for (let c = 0; c < k; c++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += y[c * n + i] as number;
      mean /= n;
      yMean[c] = mean;
      for (let i = 0; i < n; i++) yc[c * n + i] = (y[c * n + i] as number) - mean;
    }
  }
  return { x: xp, y: yc, prep: { xMean, xScale, yMean } };
}

/** Coefficients of the preprocessed problem back on the original scale. */
export function unscale(
  c: Coefficients,
  prep: Preprocessing,
  d: number,
  k: number,
  squared: boolean,
): Coefficients {
  const w = new Float64Array(d * k);
  for (let j = 0; j < d; j++) {
    const scale = prep.xScale[j] as number;
    for (let col = 0; col < k; col++) w[j * k + col] = (c.w[j * k + col] as number) / scale;
  }
  const intercept = new Float64Array(k);
  for (let col = 0; col < k; col++) {
    let shift = 0;
    for (let j = 0; j < d; j++) shift += (prep.xMean[j] as number) * (w[j * k + col] as number);
    intercept[col] = (squared ? (prep.yMean[col] as number) : (c.intercept[col] as number)) - shift;
  }
  return { w, intercept };
}

/** Maps original-scale coefficients into the preprocessed problem (for warm starts along a path). */
export function rescale(
  c: Coefficients,
  prep: Preprocessing,
  d: number,
  k: number,
  squared: boolean,
): Coefficients {
  const w = new Float64Array(d * k);
  for (let j = 0; j < d; j++) {
    const scale = prep.xScale[j] as number;
    for (let col = 0; col < k; col++) w[j * k + col] = (c.w[j * k + col] as number) * scale;
  }
  const intercept = new Float64Array(k);
  for (let col = 0; col < k && !squared; col++) {
    let shift = 0;
    for (let j = 0; j < d; j++) shift += (prep.xMean[j] as number) * (c.w[j * k + col] as number);
    intercept[col] = (c.intercept[col] as number) + shift;
  }
  return { w, intercept };
}

/** Checks α and the solver choice against the problem. */
export function checkSolver(solver: SolverName | Solver, datafit: Datafit, penalty: Penalty): void {
  const solvers: SolverName[] = ['spred', 'cd', 'fista'];
  if (typeof solver === 'string' && !solvers.includes(solver))
    throw new SpredInputError(
      `unknown solver '${String(solver)}': expected one of ${solvers.join(', ')}`,
    );
  checkAlpha(penalty.alpha);
  if (solver === 'cd' && datafit.name !== 'squared')
    throw new SpredInputError(
      `solver 'cd' handles squared loss only; use 'fista' or 'spred' for ${datafit.name} loss`,
    );
  if (typeof solver === 'string' && solver !== 'spred' && !penalty.convex)
    throw new SpredInputError(
      `the ${penalty.name} penalty is nonconvex: only solver 'spred' handles it`,
    );
}

/** Whether solver 'spred' with these settings computes on tensors (asynchronously). */
function onTensors(spred: SpredOptions | undefined): boolean {
  return (
    spred?.device === 'tensor' || (spred?.optimizer !== undefined && spred.optimizer !== 'lbfgs')
  );
}

/** The solver object a name (and the spred settings) stand for; tensor spred is loaded on demand. */
async function resolveSolverAsync(
  solver: SolverName | Solver,
  spred: SpredOptions | undefined,
): Promise<Solver> {
  if (solver === 'spred' && onTensors(spred)) {
    const { spredTensorSolver } = await import('../tensor/spred-tensor.js');
    return spredTensorSolver(spred ?? {});
  }
  return resolveSolver(solver, spred);
}

function resolveSolver(solver: SolverName | Solver, spred: SpredOptions | undefined): Solver {
  if (typeof solver !== 'string') return solver;
  if (solver === 'spred' && onTensors(spred))
    throw new SpredInputError(
      `spred on tensors (device 'tensor' or optimizer '${String(spred?.optimizer ?? 'lbfgs')}') runs asynchronously: use the estimators' fitAsync`,
    );
  return solver === 'spred'
    ? spredSolver(spred ?? {})
    : solver === 'cd'
      ? coordinateDescentSolver()
      : fistaSolver();
}

type FitOptions = LinearOptions & {
  warmStart?: Coefficients;
  preprocessed?: { x: DesignMatrix; y: Float64Array; prep: Preprocessing };
};

/** Preprocessing and the problem for one fit, plus how to report a solver's result on the original scale. */
function setUpFit(
  xInput: MatrixInput | DesignMatrix,
  y: Float64Array,
  k: number,
  datafit: Datafit,
  penalty: Penalty,
  options: FitOptions,
) {
  const solver = options.solver ?? 'spred';
  checkSolver(solver, datafit, penalty);
  const fitIntercept = options.fitIntercept ?? true;
  const squared = datafit.name === 'squared';
  // Along a path the preprocessed X is given: no second conversion (and finite check) per α.
  const x = options.preprocessed?.x ?? toDesignMatrix(xInput);
  const {
    x: xp,
    y: yp,
    prep,
  } = options.preprocessed ??
  preprocess(x, y, k, {
    center: fitIntercept,
    centerY: fitIntercept && squared,
    standardize: options.standardize ?? false,
  });
  const problem: SparseProblem = {
    x: xp,
    y: yp,
    k,
    datafit,
    penalty,
    fitIntercept: fitIntercept && !squared,
  };
  const common = {
    ...(options.tol === undefined ? {} : { tol: options.tol }),
    ...(options.maxIter === undefined ? {} : { maxIterations: options.maxIter }),
    ...(options.warmStart === undefined
      ? {}
      : { warmStart: rescale(options.warmStart, prep, x.cols, k, squared) }),
  };
  const started = performance.now();
  const finish = (result: SolveResult): LinearFit => {
    const original = unscale(result, prep, x.cols, k, squared);
    return {
      w: original.w,
      intercept: original.intercept,
      objective: result.objective,
      dualityGap: result.gap,
      nIter: result.iterations,
      converged: result.converged,
      threshold: result.threshold,
      history: result.history,
      seconds: (performance.now() - started) / 1000,
      solver: typeof solver === 'string' ? solver : solver.name,
    };
  };
  return { solver, problem, common, finish };
}

/**
 * The one fitting routine behind every linear estimator: preprocess, solve with the chosen
 * solver, and report on the original scale. Squared loss is centered (no intercept variable);
 * other losses fit the intercept as an unpenalized variable. Synchronous: spred in float64
 * (spred on tensors needs {@link fitLinearAsync}).
 */
export function fitLinear(
  xInput: MatrixInput | DesignMatrix,
  y: Float64Array,
  k: number,
  datafit: Datafit,
  penalty: Penalty,
  options: FitOptions,
): LinearFit {
  const fit = setUpFit(xInput, y, k, datafit, penalty, options);
  return fit.finish(resolveSolver(fit.solver, options.spred).solve(fit.problem, fit.common));
}

/** {@link fitLinear} for every solver setting, mini-batch spred (`spred: { optimizer: 'adam' }`) included. */
export async function fitLinearAsync(
  xInput: MatrixInput | DesignMatrix,
  y: Float64Array,
  k: number,
  datafit: Datafit,
  penalty: Penalty,
  options: FitOptions,
): Promise<LinearFit> {
  const fit = setUpFit(xInput, y, k, datafit, penalty, options);
  const solver = await resolveSolverAsync(fit.solver, options.spred);
  return fit.finish(await solver.solveAsync(fit.problem, fit.common));
}
