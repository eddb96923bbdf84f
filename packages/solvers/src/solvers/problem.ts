import type { DesignMatrix } from '../data/design-matrix.js';
import { multiply, multiplyTransposed } from '../data/linear-algebra.js';
import type { Datafit } from '../datafits/datafit.js';
import type { Penalty } from '../penalties/penalty.js';

/**
 * min_{W, b} F(XW + 1bᵀ) + Ω(W): X n × d, W d × k (row-major), targets Y n × k (column-major).
 * The intercept b is unpenalized; with squared loss the estimators center X and Y instead.
 */
export interface SparseProblem {
  readonly x: DesignMatrix;
  readonly y: Float64Array;
  readonly k: number;
  readonly datafit: Datafit;
  readonly penalty: Penalty;
  readonly fitIntercept: boolean;
}

/** A point of a problem: coefficients and intercept. */
export interface Coefficients {
  readonly w: Float64Array;
  readonly intercept: Float64Array;
}

/** One line of a solver's history. */
export interface SolverRecord {
  readonly iteration: number;
  readonly objective: number;
  readonly gap: number;
  readonly seconds: number;
  /** Features in the working set (spred with working sets). */
  readonly workingSet?: number;
}

/** What every solver returns. */
export interface SolveResult extends Coefficients {
  readonly objective: number;
  /** Duality gap at the returned point (NaN for nonconvex penalties). */
  readonly gap: number;
  /** The solver's own iteration count (epochs for CD, steps for FISTA, L-BFGS iterations for spred). */
  readonly iterations: number;
  readonly converged: boolean;
  /** Magnitude below which spred set coefficients to exact zeros (0 for exact solvers). */
  readonly threshold: number;
  readonly history: readonly SolverRecord[];
}

/** Options every solver takes. */
export interface SolveOptions {
  /** Stop when the duality gap ≤ tol × (objective at W = 0). Default 1e-6. */
  readonly tol?: number;
  readonly maxIterations?: number;
  readonly warmStart?: Coefficients;
  readonly signal?: AbortSignal;
}

/** Z = XW + 1bᵀ (n × k column-major). */
export function predictions(problem: SparseProblem, c: Coefficients): Float64Array {
  const { x, k } = problem;
  const z = multiply(x, c.w, k);
  if (problem.fitIntercept) {
    for (let col = 0; col < k; col++) {
      const b = c.intercept[col] as number;
      for (let i = 0; i < x.rows; i++) z[col * x.rows + i] = (z[col * x.rows + i] as number) + b;
    }
  }
  return z;
}

export function objective(problem: SparseProblem, c: Coefficients): number {
  const z = predictions(problem, c);
  return (
    problem.datafit.value(z, problem.y, problem.x.rows, problem.k) +
    problem.penalty.value(c.w, problem.x.cols, problem.k)
  );
}

/**
 * Primal objective, duality gap and −∇F = XᵀΘ/n at a point. The dual point is Θ = −n ∂F/∂Z scaled
 * into the dual-feasible set (Ω°(XᵀsΘ) ≤ nα); the gap is ≥ 0 and 0 exactly at a minimum.
 */
export function dualityGap(
  problem: SparseProblem,
  c: Coefficients,
): { objective: number; gap: number; negativeGradient: Float64Array } {
  const { x, y, k, datafit, penalty } = problem;
  const n = x.rows;
  const z = predictions(problem, c);
  const primal = datafit.value(z, y, n, k) + penalty.value(c.w, x.cols, k);
  const theta = datafit.negativeSampleGradient(z, y, n, k);
  const g = multiplyTransposed(x, theta, k);
  const negativeGradient = new Float64Array(g.length);
  for (let e = 0; e < g.length; e++) negativeGradient[e] = (g[e] as number) / n;
  if (!penalty.convex) return { objective: primal, gap: NaN, negativeGradient };
  const { scale, conjugate } = penalty.dual(g, n, x.cols, k);
  const dual = datafit.dual(theta, scale, y, n, k) - conjugate;
  return { objective: primal, gap: Math.max(primal - dual, 0), negativeGradient };
}

/** The objective at W = 0 (with the best intercept): the scale `tol` is relative to. */
export function zeroObjective(problem: SparseProblem): number {
  const { x, k } = problem;
  const zero: Coefficients = {
    w: new Float64Array(x.cols * k),
    intercept: initialIntercept(problem),
  };
  return Math.max(objective(problem, zero), Number.MIN_VALUE);
}

/** The intercept that is optimal at W = 0: column means (squared), log-odds (logistic), log-frequencies (multinomial). */
export function initialIntercept(problem: SparseProblem): Float64Array {
  const { x, y, k, datafit, fitIntercept } = problem;
  const b = new Float64Array(k);
  if (!fitIntercept) return b;
  const n = x.rows;
  for (let c = 0; c < k; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[c * n + i] as number;
    mean /= n;
    const clipped = Math.min(Math.max(mean, 1e-6), 1 - 1e-6);
    b[c] =
      datafit.name === 'squared'
        ? mean
        : datafit.name === 'logistic'
          ? Math.log(clipped / (1 - clipped))
          : Math.log(clipped);
  }
  return b;
}

/**
 * Records the duality gap at `iteration` in `history` and returns the finished result once the
 * gap is within `tolerance` (for the iterative exact solvers).
 */
export function recordGap(
  problem: SparseProblem,
  c: Coefficients,
  iteration: number,
  tolerance: number,
  history: SolverRecord[],
  started: number,
): SolveResult | undefined {
  const at = dualityGap(problem, c);
  history.push({
    iteration,
    objective: at.objective,
    gap: at.gap,
    seconds: (performance.now() - started) / 1000,
  });
  if (at.gap > tolerance) return undefined;
  return {
    w: c.w,
    intercept: c.intercept,
    objective: at.objective,
    gap: at.gap,
    iterations: iteration,
    converged: true,
    threshold: 0,
    history,
  };
}

/** The result when the iteration budget ran out (or the solve was aborted). */
export function finalResult(
  problem: SparseProblem,
  c: Coefficients,
  tolerance: number,
  history: SolverRecord[],
): SolveResult {
  const at = dualityGap(problem, c);
  return {
    w: c.w,
    intercept: c.intercept,
    objective: at.objective,
    gap: at.gap,
    iterations: history.at(-1)?.iteration ?? 0,
    converged: at.gap <= tolerance,
    threshold: 0,
    history,
  };
}
