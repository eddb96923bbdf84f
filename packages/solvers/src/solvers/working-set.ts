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
  const rowMajor = x.rowMajor;
  if (rowMajor === undefined) {
    features.forEach((j, q) => data.set(x.data.subarray(j * n, (j + 1) * n), q * n));
  } else {
    // Row by row: each row's selected entries ascend, so reads move forward through memory.
    const d = x.cols;
    const s = features.length;
    for (let i = 0; i < n; i++) {
      const base = i * d;
      for (let q = 0; q < s; q++)
        data[q * n + i] = rowMajor[base + (features[q] as number)] as number;
    }
  }
  const above = rowMajor === undefined ? columnsOf(x.data) : undefined;
  recordColumns(data, {
    parent: above?.parent ?? rowMajor ?? x.data,
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

/** What one working-set round asks its driver to solve. */
export interface RoundRequest {
  /** The round's features, ascending (every feature when working sets are off). */
  readonly features: readonly number[];
  /** The full problem's current coefficients: the warm start. */
  readonly start: Coefficients;
  /** Rounds so far that ended with every unit outside the set optimal: solve this much tighter. */
  readonly tightenings: number;
  /** Iterations left of `maxIterations` (undefined when there is no cap). */
  readonly iterationsLeft: number | undefined;
}

/** A driver's answer to a {@link RoundRequest}. */
export interface RoundAnswer {
  /** Full-size coefficients, zero outside the round's features. */
  readonly coefficients: Coefficients;
  readonly iterations: number;
  /** The threshold under which the driver made coefficients exact zeros. */
  readonly threshold: number;
  /** The full problem's duality gap at `coefficients`, where the driver computed it already. */
  readonly at?: ReturnType<typeof dualityGap>;
  /** Whether the inner solve converged (what a nonconvex problem, with no gap, reports). */
  readonly converged?: boolean;
}

/** Options of {@link workingSetRounds}. */
export interface WorkingSetRoundsOptions extends WorkingSetOptions {
  /** Solve on growing sets (convex penalties only). false: one round on every feature. Default true. */
  readonly workingSet?: boolean;
  /** Most tightenings the driver can make (rounds beyond that stop). Default 8. */
  readonly maxTightenings?: number;
}

/**
 * Working sets for a convex problem, as glmnet, celer and skglm use them, as a generator a driver
 * answers round by round (synchronously or not): solve on the start's support plus the units that
 * violate optimality most, compute the duality gap of the full problem (one pass over X), add the
 * worst violators (doubling the set), repeat until the full gap ≤ tol × objective(0). A round
 * whose answer leaves no violator outside the set asks for a tighter solve. Wide problems cost a
 * few passes over X.
 *
 * @example
 * ```ts
 * const rounds = workingSetRounds(problem, { tol: 1e-8 });
 * let step = rounds.next();
 * while (!step.done) step = rounds.next(solveRound(step.value));
 * const result = step.value;
 * ```
 */
export function* workingSetRounds(
  problem: SparseProblem,
  options: WorkingSetRoundsOptions = {},
): Generator<RoundRequest, SolveResult, RoundAnswer> {
  const { x, k, penalty } = problem;
  const d = x.cols;
  const tol = options.tol ?? 1e-6;
  const tolerance = tol * zeroObjective(problem);
  const { unitOf, count } = penalty.units(d);
  // Units are features for the elementwise penalties: then no per-unit member lists.
  let identity = count === d;
  for (let j = 0; identity && j < d; j++) identity = unitOf[j] === j;
  const members: number[][] = identity ? [] : Array.from({ length: count }, () => []);
  if (!identity) unitOf.forEach((g, j) => members[g]!.push(j));
  const featuresOf = (units: readonly number[]) =>
    (identity ? [...units] : units.flatMap((g) => members[g]!)).sort((a, b) => a - b);
  let current: Coefficients = {
    w: Float64Array.from(options.warmStart?.w ?? new Float64Array(d * k)),
    intercept: Float64Array.from(options.warmStart?.intercept ?? initialIntercept(problem)),
  };
  const started = performance.now();
  const history: SolverRecord[] = [];
  let iterations = 0;
  let threshold = 0;
  let tightenings = 0;
  let innerConverged = false;
  const useWorkingSet = penalty.convex && (options.workingSet ?? true);
  const maxIterations = options.maxIterations;
  const request = (features: readonly number[]): RoundRequest => ({
    features,
    start: current,
    tightenings,
    iterationsLeft:
      maxIterations === undefined ? undefined : Math.max(1, maxIterations - iterations),
  });
  const accept = (answer: RoundAnswer, features: number) => {
    iterations += answer.iterations;
    threshold = answer.threshold;
    innerConverged = answer.converged ?? false;
    current = answer.coefficients;
    const at = answer.at ?? dualityGap(problem, current);
    history.push({
      iteration: iterations,
      objective: at.objective,
      gap: at.gap,
      seconds: (performance.now() - started) / 1000,
      workingSet: features,
    });
    return at;
  };
  const result = (at: ReturnType<typeof dualityGap>): SolveResult => ({
    ...current,
    objective: at.objective,
    gap: at.gap,
    iterations,
    converged: penalty.convex ? at.gap <= tolerance : innerConverged,
    threshold,
    history,
  });
  if (!useWorkingSet) {
    const all = Array.from({ length: d }, (_, j) => j);
    return result(accept(yield request(all), d));
  }
  // Which units are in the set (a flag per unit: the rounds of a path ask this d times each).
  const inSet = new Uint8Array(count);
  /** The units outside the set that violate optimality, worst first. */
  const ranked = (ratios: Float64Array) => {
    const violators: number[] = [];
    for (let g = 0; g < count; g++)
      if (inSet[g] === 0 && (ratios[g] as number) > 1) violators.push(g);
    return violators.sort((a, b) => (ratios[b] as number) - (ratios[a] as number));
  };
  const join = (units: readonly number[]) => {
    for (const g of units) inSet[g] = 1;
  };
  let at = dualityGap(problem, current);
  const nonzero = new Uint8Array(count);
  for (let e = 0; e < current.w.length; e++)
    if ((current.w[e] as number) !== 0) nonzero[unitOf[Math.floor(e / k)] as number] = 1;
  const support: number[] = [];
  for (let g = 0; g < count; g++) if (nonzero[g] === 1) support.push(g);
  join(support);
  let workingSet = [
    ...support,
    ...ranked(penalty.kktRatio(at.negativeGradient, d, k)).slice(
      0,
      Math.max(options.initialWorkingSet ?? 10, support.length),
    ),
  ];
  join(workingSet);
  const maxRounds = options.maxRounds ?? 50;
  const maxTightenings = options.maxTightenings ?? 8;
  for (let round = 1; round <= maxRounds && at.gap > tolerance; round++) {
    if (options.signal?.aborted === true || workingSet.length === 0) break;
    const features = featuresOf(workingSet);
    at = accept(yield request(features), features.length);
    if (at.gap <= tolerance) break;
    if (maxIterations !== undefined && iterations >= maxIterations) break;
    const violators = ranked(penalty.kktRatio(at.negativeGradient, d, k));
    if (violators.length === 0) {
      // Every unit outside is optimal: the sub-problem needs a tighter solve.
      if (tightenings >= maxTightenings) break;
      tightenings++;
    } else {
      const added = violators.slice(0, Math.max(workingSet.length, 10));
      join(added);
      workingSet = [...workingSet, ...added];
    }
  }
  return result(at);
}

/**
 * {@link workingSetRounds} driven by a synchronous float64 inner solver on the restricted
 * problem: each round solves X's columns of the set to a relative gap of tol/2, 10× tighter per
 * tightening.
 */
export function solveOnWorkingSets(
  problem: SparseProblem,
  inner: InnerSolver,
  options: WorkingSetOptions = {},
): SolveResult {
  const d = problem.x.cols;
  const k = problem.k;
  const tol = options.tol ?? 1e-6;
  // Inner tolerances tol/2, tol/20, … while ≥ 1e-16 (float64's floor).
  let maxTightenings = 0;
  for (let t = tol / 2; t >= 1e-16; t /= 10) maxTightenings++;
  const rounds = workingSetRounds(problem, { ...options, maxTightenings });
  let step = rounds.next();
  while (!step.done) {
    const { features, start, tightenings, iterationsLeft } = step.value;
    const solved = inner(restrictProblem(problem, features), {
      tol: tol / 2 / 10 ** tightenings,
      warmStart: restrictCoefficients(start, features, k),
      ...(iterationsLeft === undefined ? {} : { maxIterations: iterationsLeft }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    step = rounds.next({
      coefficients: expandCoefficients(solved, features, d, k),
      iterations: solved.iterations,
      threshold: solved.threshold,
    });
  }
  return step.value;
}
