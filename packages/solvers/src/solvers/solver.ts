import { SpredInputError } from '@spredjs/core/errors';
import { blockCoordinateDescent, coordinateDescent } from './coordinate-descent.js';
import { fista } from './fista.js';
import type { SolveOptions, SolveResult, SparseProblem } from './problem.js';
import { solveFactored } from './spred/solve-factored.js';
import { solveOnWorkingSets, type InnerSolver } from './working-set.js';

/**
 * A solver object, shaped like skglm's: it takes a whole problem (datafit, penalty, X, y) and
 * returns the solution with its duality gap. Estimators, paths and the CLI take one of these (or
 * the name of a built-in one); `solveAsync` is the twin for solvers that compute on tensors.
 *
 * @example
 * ```ts
 * new Lasso({ alpha: 0.1, solver: spredSolver({ initialWorkingSet: 50 }) }).fit(X, y);
 * ```
 */
export interface Solver {
  readonly name: string;
  solve(problem: SparseProblem, options?: SolveOptions): SolveResult;
  solveAsync(problem: SparseProblem, options?: SolveOptions): Promise<SolveResult>;
}

/** Options of the working-set solvers. */
export interface WorkingSetSolverOptions {
  /** Solve on a growing set of units (convex penalties). Default true. */
  readonly workingSet?: boolean;
  /** Units in the first working set besides the start's support. Default 10. */
  readonly initialWorkingSet?: number;
  /** Most working-set rounds. Default 50. */
  readonly maxRounds?: number;
}

function solverObject(
  name: string,
  solve: (problem: SparseProblem, options: SolveOptions) => SolveResult,
): Solver {
  return {
    name,
    solve: (problem, options = {}) => solve(problem, options),
    solveAsync: (problem, options = {}) => Promise.resolve(solve(problem, options)),
  };
}

function withWorkingSets(
  problem: SparseProblem,
  inner: InnerSolver,
  options: SolveOptions,
  settings: WorkingSetSolverOptions,
): SolveResult {
  if (!problem.penalty.convex || settings.workingSet === false) return inner(problem, options);
  return solveOnWorkingSets(problem, inner, {
    ...options,
    ...(settings.initialWorkingSet === undefined
      ? {}
      : { initialWorkingSet: settings.initialWorkingSet }),
    ...(settings.maxRounds === undefined ? {} : { maxRounds: settings.maxRounds }),
  });
}

/**
 * spred, the product: L-BFGS on the smooth factored objective (V = U ⊙ W, or grouped) finds the
 * support and the signs, an exact finish solves the problem on them, and the float64 duality gap
 * of the full problem certifies the answer; on working sets that grow by KKT violation. Every
 * datafit, every penalty (the nonconvex L_{2/N} too, without working sets or a gap).
 */
export function spredSolver(settings: WorkingSetSolverOptions = {}): Solver {
  return solverObject('spred', (problem, options) =>
    withWorkingSets(problem, solveFactored, options, settings),
  );
}

/**
 * Exact (block) coordinate descent for squared loss, glmnet's and scikit-learn's algorithm, in
 * float64 and on working sets by default: the reference spred is checked against.
 */
export function coordinateDescentSolver(settings: WorkingSetSolverOptions = {}): Solver {
  return solverObject('cd', (problem, options) => {
    if (problem.datafit.name !== 'squared')
      throw new SpredInputError(
        `solver 'cd' handles squared loss only; use 'fista' or 'spred' for ${problem.datafit.name} loss`,
      );
    const name = problem.penalty.name;
    const inner: InnerSolver = (p, o) =>
      name === 'l1' || name === 'elasticnet'
        ? coordinateDescent(p, o)
        : blockCoordinateDescent(p, o);
    return withWorkingSets(problem, inner, options, settings);
  });
}

/** FISTA with adaptive restart on the full problem: the exact reference for every convex problem. */
export function fistaSolver(): Solver {
  return solverObject('fista', (problem, options) => fista(problem, options));
}
