import { minimizeLbfgs } from '@spredjs/optim/lbfgs';
import {
  dualityGap,
  initialIntercept,
  objective,
  zeroObjective,
  type Coefficients,
  type SolveOptions,
  type SolveResult,
  type SolverRecord,
  type SparseProblem,
} from '../problem.js';
import { exactFinish } from './exact-finish.js';
import { factoredObjective } from './factored-objective.js';

/** Relative magnitudes (of max|V|) under which units are tried as exact zeros, largest first. */
const THRESHOLDS = [1e-2, 1e-4, 1e-6, 1e-8, 1e-10];

/** Relative magnitude under which the exact finish starts from zero. */
const FINISH_THRESHOLD = 1e-2;

/** L-BFGS iterations before the first identification attempt; doubled after each that fails. */
const FIRST_CHUNK = 25;

/**
 * spred in float64 on a whole problem: L-BFGS minimizes the smooth factored objective (V = U ⊙ W
 * or grouped, with κ(‖U‖² + ‖W‖²)), whose minimum has the L1 problem's support and signs; units
 * whose magnitude falls below a threshold become exact zeros and, where it applies, the exact
 * finish solves the problem from that support and sign pattern. Convex problems stop when the
 * duality gap ≤ tol × objective(0); until then L-BFGS goes on from where it stopped, for twice
 * as many iterations each time (from {@link FIRST_CHUNK}) and at a 100× tighter gradient
 * tolerance once it meets one. Nonconvex
 * penalties (depth ≥ 3) keep the largest threshold that does not raise the objective.
 */
export function solveFactored(problem: SparseProblem, options: SolveOptions = {}): SolveResult {
  const { x, k, penalty } = problem;
  const d = x.cols;
  const tol = options.tol ?? 1e-6;
  const tolerance = tol * zeroObjective(problem);
  const maxIterations = options.maxIterations ?? 20_000;
  const objectiveFn = factoredObjective(problem);
  const start: Coefficients = {
    w: options.warmStart?.w ?? new Float64Array(d * k),
    intercept: options.warmStart?.intercept ?? initialIntercept(problem),
  };
  let factors = objectiveFn.factors(start);
  const history: SolverRecord[] = [];
  const started = performance.now();
  const { unitOf, count } = penalty.units(d);
  let iterations = 0;
  // The gradient of the factored objective is in units of α·√|V|: start loose, tighten by 100.
  let gradientTolerance = 1e-3 * penalty.alpha;
  let best: SolveResult | undefined;
  let chunk = FIRST_CHUNK;
  while (iterations < maxIterations) {
    if (options.signal?.aborted === true) break;
    const run = minimizeLbfgs(objectiveFn.evaluate, factors, {
      gradientTolerance,
      // Identification needs the support and signs, not a converged L-BFGS: the exact finish
      // takes it from there; a finish that fails sends L-BFGS on.
      maxIterations: Math.min(chunk, maxIterations - iterations),
      historySize: 10,
      objectiveTolerance: 1e-15,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    factors = run.x;
    iterations += Math.max(run.iterations, 1);
    chunk *= 2;
    const candidate = sparsify(
      problem,
      objectiveFn.coefficients(factors),
      unitOf,
      count,
      tolerance,
    );
    history.push({
      iteration: iterations,
      objective: candidate.objective,
      gap: candidate.gap,
      seconds: (performance.now() - started) / 1000,
    });
    const result: SolveResult = {
      ...candidate.coefficients,
      objective: candidate.objective,
      gap: candidate.gap,
      iterations,
      converged: penalty.convex ? candidate.gap <= tolerance : run.stopReason === 'gradient',
      threshold: candidate.threshold,
      history,
    };
    if (best === undefined || !penalty.convex || result.gap < best.gap) best = result;
    if (best.converged) break;
    // Rebalance (V unchanged, the penalty only falls) and let zeros that now violate optimality
    // leave the saddle U = W = 0 along their descent direction.
    factors = objectiveFn.factors(objectiveFn.coefficients(factors));
    const stalled = run.stopReason !== 'gradient' && run.stopReason !== 'max-iterations';
    if (run.stopReason === 'gradient' || stalled) {
      if (gradientTolerance < 1e-16) break;
      gradientTolerance /= 100;
    }
  }
  if (best === undefined) {
    const at = penalty.convex
      ? dualityGap(problem, start)
      : { objective: objective(problem, start), gap: NaN };
    return {
      ...start,
      objective: at.objective,
      gap: at.gap,
      iterations,
      converged: false,
      threshold: 0,
      history,
    };
  }
  return best;
}

/**
 * Exact zeros for a factored solution: the exact finish from a mild threshold (convex problems
 * where it applies), else for each threshold, largest first, the units below it zeroed, keeping
 * the first candidate whose gap meets the tolerance (or, nonconvex, the largest threshold that
 * does not raise the objective).
 */
function sparsify(
  problem: SparseProblem,
  raw: Coefficients,
  unitOf: Int32Array,
  count: number,
  tolerance: number,
): { coefficients: Coefficients; objective: number; gap: number; threshold: number } {
  const { k, penalty } = problem;
  const unitMax = new Float64Array(count);
  raw.w.forEach((v, e) => {
    const g = unitOf[Math.floor(e / k)] as number;
    unitMax[g] = Math.max(unitMax[g] as number, Math.abs(v));
  });
  const scale = unitMax.reduce((a, b) => Math.max(a, b), 0);
  const evaluate = (c: Coefficients) =>
    penalty.convex ? dualityGap(problem, c) : { objective: objective(problem, c), gap: NaN };
  const zeroBelow = (relative: number): Coefficients => ({
    w: Float64Array.from(raw.w, (v, e) =>
      (unitMax[unitOf[Math.floor(e / k)] as number] as number) <= relative * scale ? 0 : v,
    ),
    intercept: raw.intercept,
  });
  const rawAt = evaluate(raw);
  let best = { coefficients: raw, objective: rawAt.objective, gap: rawAt.gap, threshold: 0 };
  if (penalty.convex) {
    // The exact finish corrects a nearly right support itself: one try, from a mild threshold.
    const finished = exactFinish(
      problem,
      zeroBelow(FINISH_THRESHOLD),
      tolerance / zeroObjective(problem),
    );
    if (finished !== undefined) {
      const at = evaluate(finished);
      const candidate = { coefficients: finished, ...at, threshold: FINISH_THRESHOLD * scale };
      if (at.gap <= tolerance) return candidate;
      if (at.gap < best.gap) best = candidate;
    }
  }
  let previousZeros = -1;
  for (const relative of THRESHOLDS) {
    const threshold = relative * scale;
    const zeros = Array.from(unitMax).filter((m) => m <= threshold).length;
    if (zeros === previousZeros) continue;
    previousZeros = zeros;
    const zeroed = zeroBelow(relative);
    const at = evaluate(zeroed);
    if (penalty.convex) {
      if (at.gap <= tolerance) return { coefficients: zeroed, ...at, threshold };
      if (at.gap < best.gap) best = { coefficients: zeroed, ...at, threshold };
    } else if (at.objective <= rawAt.objective * (1 + 1e-9)) {
      return { coefficients: zeroed, ...at, threshold };
    }
  }
  return best;
}
