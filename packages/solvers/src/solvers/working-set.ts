import { columnsOf, recordColumns } from '../data/column-provenance.js';
import {
  dualityGap,
  initialIntercept,
  zeroObjective,
  type Coefficients,
  type SolveOptions,
  type SolveResult,
  type SolverRecord,
  type SparseProblem,
} from './problem.js';

/** Options of {@link solveOnWorkingSets}. */
export interface WorkingSetOptions extends SolveOptions {
  /** Units in the first working set besides the start's support. Default 10. */
  readonly initialWorkingSet?: number;
  /** Most working-set rounds. Default 50. */
  readonly maxRounds?: number;
}

/**
 * A solver of a whole (small) problem to a relative duality gap `tol`, warm-started: what a
 * working-set round runs on the features it keeps.
 */
export type InnerSolver = (problem: SparseProblem, options: SolveOptions) => SolveResult;

/** The problem on the columns `features` of X (ascending), with the penalty restricted to them. */
export function restrictProblem(
  problem: SparseProblem,
  features: readonly number[],
): SparseProblem {
  const { x } = problem;
  const n = x.rows;
  const data = new Float64Array(n * features.length);
  features.forEach((j, q) => data.set(x.data.subarray(j * n, (j + 1) * n), q * n));
  const above = columnsOf(x.data);
  recordColumns(data, {
    parent: above?.parent ?? x.data,
    features: above === undefined ? features : features.map((j) => above.features[j] as number),
  });
  return {
    ...problem,
    x: { rows: n, cols: features.length, data },
    penalty: problem.penalty.restrict(features),
  };
}

function restrictCoefficients(
  c: Coefficients,
  features: readonly number[],
  k: number,
): Coefficients {
  const w = new Float64Array(features.length * k);
  features.forEach((j, q) => w.set(c.w.subarray(j * k, j * k + k), q * k));
  return { w, intercept: c.intercept };
}

function expandCoefficients(
  c: Coefficients,
  features: readonly number[],
  d: number,
  k: number,
): Coefficients {
  const w = new Float64Array(d * k);
  features.forEach((j, q) => w.set(c.w.subarray(q * k, q * k + k), j * k));
  return { w, intercept: c.intercept };
}

/**
 * Working sets for a convex problem, as glmnet, celer and skglm use them: solve on the start's
 * support plus the units that violate optimality most, compute the duality gap of the full
 * problem (one pass over X), add the worst violators (doubling the set), repeat until the full
 * gap ≤ tol × objective(0). A round whose answer leaves no violator outside the set asks the
 * inner solver for a 10× tighter gap. Wide problems cost a few passes over X.
 */
export function solveOnWorkingSets(
  problem: SparseProblem,
  inner: InnerSolver,
  options: WorkingSetOptions = {},
): SolveResult {
  const { x, k, penalty } = problem;
  const d = x.cols;
  const tol = options.tol ?? 1e-6;
  const tolerance = tol * zeroObjective(problem);
  const { unitOf, count } = penalty.units(d);
  const members: number[][] = Array.from({ length: count }, () => []);
  unitOf.forEach((g, j) => members[g]!.push(j));
  let current: Coefficients = {
    w: Float64Array.from(options.warmStart?.w ?? new Float64Array(d * k)),
    intercept: Float64Array.from(options.warmStart?.intercept ?? initialIntercept(problem)),
  };
  const started = performance.now();
  const history: SolverRecord[] = [];
  let at = dualityGap(problem, current);
  let iterations = 0;
  let threshold = 0;
  let innerTol = tol / 2;
  const unitIsZero = (c: Coefficients, g: number) =>
    members[g]!.every((j) => c.w.subarray(j * k, j * k + k).every((v) => v === 0));
  const ranked = (ratios: Float64Array, exclude: Set<number>) =>
    Array.from({ length: count }, (_, g) => g)
      .filter((g) => !exclude.has(g) && (ratios[g] as number) > 1)
      .sort((a, b) => (ratios[b] as number) - (ratios[a] as number));
  const support = Array.from({ length: count }, (_, g) => g).filter((g) => !unitIsZero(current, g));
  let workingSet = [
    ...support,
    ...ranked(penalty.kktRatio(at.negativeGradient, d, k), new Set(support)).slice(
      0,
      Math.max(options.initialWorkingSet ?? 10, support.length),
    ),
  ];
  const maxRounds = options.maxRounds ?? 50;
  for (let round = 1; round <= maxRounds && at.gap > tolerance; round++) {
    if (options.signal?.aborted === true || workingSet.length === 0) break;
    const features = workingSet.flatMap((g) => members[g]!).sort((a, b) => a - b);
    const sub = restrictProblem(problem, features);
    const solved = inner(sub, {
      tol: innerTol,
      warmStart: restrictCoefficients(current, features, k),
      ...(options.maxIterations === undefined
        ? {}
        : { maxIterations: Math.max(1, options.maxIterations - iterations) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    iterations += solved.iterations;
    threshold = solved.threshold;
    current = expandCoefficients(solved, features, d, k);
    at = dualityGap(problem, current);
    history.push({
      iteration: iterations,
      objective: at.objective,
      gap: at.gap,
      seconds: (performance.now() - started) / 1000,
      workingSet: features.length,
    });
    if (at.gap <= tolerance) break;
    if (options.maxIterations !== undefined && iterations >= options.maxIterations) break;
    const violators = ranked(penalty.kktRatio(at.negativeGradient, d, k), new Set(workingSet));
    if (violators.length === 0) {
      // Every unit outside is optimal: the sub-problem needs a tighter solve.
      if (innerTol < 1e-16) break;
      innerTol /= 10;
    } else {
      workingSet = [...workingSet, ...violators.slice(0, Math.max(workingSet.length, 10))];
    }
  }
  return {
    ...current,
    objective: at.objective,
    gap: at.gap,
    iterations,
    converged: at.gap <= tolerance,
    threshold,
    history,
  };
}
