import { groupViolations, l1Value, pseudoGradient, type L1Groups } from '@spredjs/core';
import { driveAsync, type Evaluation } from '../lbfgs/line-search.js';
import { CurvatureMemory, checkMaxIterations } from '../lbfgs/curvature-memory.js';
import { dot, sumAbs } from '../lbfgs/vector.js';

/** Why {@link minimizeOwlqnAsync} stopped. */
export type OwlqnStopReason =
  | 'certified' // every first-order condition holds within tol
  | 'max-iterations'
  | 'line-search-failed' // no step decreased f + R (often: at float precision)
  | 'aborted'
  | 'non-finite'; // f or ∇f is NaN/Inf at the start point

/** Options of {@link minimizeOwlqnAsync}. */
export interface OwlqnOptions {
  /** History size m. Default 10. */
  readonly historySize?: number;
  /** Iteration cap. Default 1000. */
  readonly maxIterations?: number;
  /** Stop once every group's violation (relative to its λ) and the free gradient are ≤ this. Default 1e-4. */
  readonly tol?: number;
  /**
   * Relative rounding level of f (1e-6 for float32 objectives): a step that changes f + R by less
   * than this is judged by its slope instead. Default 0.
   */
  readonly functionNoise?: number;
  /** Start of each block of x (a layer's kernel, its bias, …) that gets its own initial curvature scale. Default one block. */
  readonly blocks?: readonly number[];
  /** Sufficient-decrease constant. Default 1e-4. */
  readonly c1?: number;
  readonly signal?: AbortSignal;
  /** Called after every accepted step (do not modify `x`). */
  readonly onIteration?: (info: {
    readonly iteration: number;
    readonly objective: number;
    readonly violation: number;
    readonly x: Float64Array;
  }) => void;
}

/** What {@link minimizeOwlqnAsync} returns; `value` and `gradient` are the smooth part's. */
export interface OwlqnResult extends Evaluation {
  readonly x: Float64Array;
  /** f + R at x. */
  readonly objective: number;
  /** max over groups of the relative violation, and of the free gradient (see `groupViolations`). */
  readonly violation: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly stopReason: OwlqnStopReason;
}

/**
 * Minimizes f(x) + Σ_g λ_g‖x_g‖₂ by orthant-wise limited-memory quasi-Newton (OWL-QN, Andrew &
 * Gao 2007), extended from single entries to groups: the L-BFGS direction of the pseudo-gradient
 * (the least-norm subgradient), kept only on groups where it descends, and a backtracking search
 * whose points are projected so that no group crosses zero; a group that would cross lands on
 * exactly zero. It stops when the first-order certificate holds within `tol`. f is evaluated by
 * `evaluate` (value and gradient of the smooth part only), awaited, so tensors may compute it.
 *
 * @example
 * ```ts
 * const r = await minimizeOwlqnAsync(async (x) => ({ value: 0.5 * (x[0]! - 3) ** 2, gradient: Float64Array.of(x[0]! - 3) }),
 *   Float64Array.of(0), { groupOf: Int32Array.of(0), lambda: Float64Array.of(1) });
 * r.x[0]; // 2: the soft threshold of 3 at 1
 * ```
 */
export function minimizeOwlqnAsync(
  evaluate: (x: Float64Array) => Promise<Evaluation>,
  x0: Float64Array,
  groups: L1Groups,
  options: OwlqnOptions = {},
): Promise<OwlqnResult> {
  return driveAsync(owlqnSteps(x0, groups, options), evaluate);
}

/** The OWL-QN iterations as a generator of the points to evaluate. */
export function* owlqnSteps(
  x0: Float64Array,
  groups: L1Groups,
  options: OwlqnOptions,
): Generator<Float64Array, OwlqnResult, Evaluation> {
  const m = options.historySize ?? 10;
  const maxIterations = options.maxIterations ?? 1000;
  const tol = options.tol ?? 1e-4;
  const c1 = options.c1 ?? 1e-4;
  const noiseLevel = options.functionNoise ?? 0;
  checkMaxIterations(maxIterations);
  const n = x0.length;
  const memory = new CurvatureMemory(m, n, options.blocks);
  const numGroups = groups.lambda.length;
  const { groupOf } = groups;
  const penalized = groupOf.length;

  let x: Float64Array = Float64Array.from(x0);
  let current: Evaluation = yield x;
  let evaluations = 1;
  let objective = current.value + l1Value(groups, x);
  let violation = violationOf(groups, x, current.gradient);
  const done = (stopReason: OwlqnStopReason, iterations: number): OwlqnResult => ({
    x,
    value: current.value,
    gradient: current.gradient,
    objective,
    violation,
    iterations,
    evaluations,
    stopReason,
  });
  if (!Number.isFinite(objective) || !current.gradient.every(Number.isFinite))
    return done('non-finite', 0);
  if (violation <= tol) return done('certified', 0);

  const groupDot = new Float64Array(numGroups);
  let pg = pseudoGradient(groups, x, current.gradient);

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (options.signal?.aborted === true) return done('aborted', iteration - 1);
    // d = −H·pg, with H from the curvature pairs below.
    const d = memory.direction(pg);
    // OWL-QN's sign alignment, for groups: a nonzero group keeps the direction where it descends;
    // a zero group may only enter along −pg (the proximal direction), so d is projected on that ray.
    const xNormsSquared = new Float64Array(numGroups);
    perGroupDot(groupOf, x, x, xNormsSquared);
    const pgNormsSquared = new Float64Array(numGroups);
    perGroupDot(groupOf, pg, pg, pgNormsSquared);
    perGroupDot(groupOf, d, pg, groupDot);
    for (let i = 0; i < penalized; i++) {
      const g = groupOf[i] as number;
      const along = groupDot[g] as number;
      if (along >= 0) d[i] = 0;
      else if ((xNormsSquared[g] as number) === 0)
        d[i] = ((pg[i] as number) * along) / (pgNormsSquared[g] as number);
    }
    if (!(dot(d, pg) < 0)) {
      memory.reset();
      for (let i = 0; i < n; i++) d[i] = -(pg[i] as number);
    }
    // The orthant of the search: a nonzero group keeps its direction, a zero one may only move along −pg.
    const orthant = new Float64Array(penalized);
    for (let i = 0; i < penalized; i++)
      orthant[i] =
        (xNormsSquared[groupOf[i] as number] as number) > 0 ? (x[i] as number) : -(pg[i] as number);

    let t = memory.empty ? Math.min(1, 1 / sumAbs(pg)) : 1;
    const noise = noiseLevel * Math.abs(objective);
    let accepted:
      { x: Float64Array; evaluation: Evaluation; objective: number; pg: Float64Array } | undefined;
    for (let halving = 0; halving < 40; halving++) {
      const trial = new Float64Array(n);
      for (let i = 0; i < n; i++) trial[i] = (x[i] as number) + t * (d[i] as number);
      perGroupDot(groupOf, trial, orthant, groupDot);
      for (let i = 0; i < penalized; i++)
        if ((groupDot[groupOf[i] as number] as number) <= 0) trial[i] = 0;
      const evaluation: Evaluation = yield trial;
      evaluations++;
      const trialObjective = evaluation.value + l1Value(groups, trial);
      if (Number.isFinite(trialObjective) && evaluation.gradient.every(Number.isFinite)) {
        const step = new Float64Array(n);
        for (let i = 0; i < n; i++) step[i] = (trial[i] as number) - (x[i] as number);
        const slope = dot(pg, step);
        const decreased = trialObjective <= objective + c1 * slope;
        // Where f + R changes by less than its rounding, judge by the slope at the trial point.
        const trialPg =
          decreased || noise === 0 || trialObjective > objective + noise
            ? undefined
            : pseudoGradient(groups, trial, evaluation.gradient);
        const flat = trialPg !== undefined && dot(trialPg, step) <= -0.8 * slope;
        if (slope < 0 && (decreased || flat)) {
          accepted = {
            x: trial,
            evaluation,
            objective: trialObjective,
            pg: trialPg ?? pseudoGradient(groups, trial, evaluation.gradient),
          };
          break;
        }
      }
      t /= 2;
    }
    if (accepted === undefined) return done('line-search-failed', iteration - 1);

    // Curvature pairs of f + R on the groups nonzero at both points (a group's norm is curved,
    // unlike a single entry's |x|), of f alone elsewhere.
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    const pgNext = accepted.pg;
    const nextNormsSquared = new Float64Array(numGroups);
    perGroupDot(groupOf, accepted.x, accepted.x, nextNormsSquared);
    for (let i = 0; i < n; i++) {
      s[i] = (accepted.x[i] as number) - (x[i] as number);
      const g = i < penalized ? (groupOf[i] as number) : -1;
      const onFace =
        g >= 0 && (xNormsSquared[g] as number) > 0 && (nextNormsSquared[g] as number) > 0;
      y[i] = onFace
        ? (pgNext[i] as number) - (pg[i] as number)
        : (accepted.evaluation.gradient[i] as number) - (current.gradient[i] as number);
    }
    memory.push(s, y);
    pg = pgNext;
    x = accepted.x;
    current = accepted.evaluation;
    objective = accepted.objective;
    violation = violationOf(groups, x, current.gradient);
    options.onIteration?.({ iteration, objective, violation, x });
    if (violation <= tol) return done('certified', iteration);
  }
  return done('max-iterations', maxIterations);
}

/** The certificate's figure: the largest relative violation of any group or free entry. */
function violationOf(groups: L1Groups, x: Float64Array, gradient: Float64Array): number {
  const { group, free } = groupViolations(groups, x, gradient);
  let worst = free;
  for (let g = 0; g < group.length; g++) worst = Math.max(worst, group[g] as number);
  return worst;
}

/** Σ_{i∈g} a_i·b_i for every group, into `out`. */
function perGroupDot(
  groupOf: Int32Array,
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
): void {
  out.fill(0);
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i] as number;
    out[g] = (out[g] as number) + (a[i] as number) * (b[i] as number);
  }
}
