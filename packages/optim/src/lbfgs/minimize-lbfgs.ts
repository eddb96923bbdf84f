import {
  backtrackSteps,
  drive,
  driveAsync,
  strongWolfeSteps,
  type Evaluation,
} from './line-search.js';
import { CurvatureMemory, checkMaxIterations } from './curvature-memory.js';
import { dot, maxAbs, sumAbs } from './vector.js';

/** Why L-BFGS stopped. */
export type LbfgsStopReason =
  | 'gradient' // max|∇f| ≤ gradientTolerance
  | 'objective' // relative change of f ≤ objectiveTolerance
  | 'step' // max|Δx| ≤ stepTolerance
  | 'max-iterations'
  | 'line-search-failed' // no step along the direction decreased f (often: f is at float precision)
  | 'aborted'
  | 'non-finite'; // f or ∇f is NaN/Inf at the start point

/** Options of {@link minimizeLbfgs} and {@link lbfgs}. */
export interface LbfgsOptions {
  /** History size m (pairs of steps and gradient changes kept). Default 10. */
  readonly historySize?: number;
  /** Iteration cap. Default 500. */
  readonly maxIterations?: number;
  /** Stop when max|∇f| ≤ this. Default 1e-7. */
  readonly gradientTolerance?: number;
  /** Stop when |f_k − f_{k+1}| ≤ this · max(|f_k|, |f_{k+1}|, 1); a negative value never stops. Default 1e-12. */
  readonly objectiveTolerance?: number;
  /** Stop when max|x_{k+1} − x_k| ≤ this. Default 1e-12. */
  readonly stepTolerance?: number;
  /** Wolfe constants (sufficient decrease c1, curvature c2). Defaults 1e-4 and 0.9. */
  readonly c1?: number;
  readonly c2?: number;
  /**
   * Relative rounding level of f (e.g. 1e-6 for float32 objectives): steps that change f by less
   * than this are judged by the slope instead (approximate Wolfe conditions). Default 0.
   */
  readonly functionNoise?: number;
  /** Checked before every iteration. */
  readonly signal?: AbortSignal;
  /** Called after every iteration with the accepted point (do not modify `x`). Abort via `signal` to stop. */
  readonly onIteration?: (info: {
    iteration: number;
    value: number;
    gradientNorm: number;
    x: Float64Array;
  }) => void;
}

/** What {@link minimizeLbfgs} returns. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradient: Float64Array;
  readonly iterations: number;
  readonly functionEvaluations: number;
  readonly stopReason: LbfgsStopReason;
  /** max|∇f| at the end. */
  readonly gradientNorm: number;
}

/**
 * Limited-memory BFGS over a float64 vector: two-loop recursion with history m and the initial
 * Hessian scaled by sᵀy/yᵀy, a strong Wolfe line search with a backtracking fallback, and stopping
 * on gradient norm, objective change, step size or an iteration cap. A direction that is not a
 * descent direction resets the history (the spred objective has a saddle at 0, where this matters).
 *
 * @example
 * ```ts
 * const r = minimizeLbfgs((x) => ({ value: (x[0]! - 3) ** 2, gradient: Float64Array.of(2 * (x[0]! - 3)) }), Float64Array.of(0));
 * r.x[0]; // 3
 * ```
 */
export function minimizeLbfgs(
  evaluate: (x: Float64Array) => Evaluation,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  return drive(lbfgsSteps(x0, options), evaluate);
}

/**
 * {@link minimizeLbfgs} with an asynchronous objective: the same iterations, each evaluation
 * awaited (for tensors on a backend that only reads asynchronously, such as WebGPU).
 */
export function minimizeLbfgsAsync(
  evaluate: (x: Float64Array) => Promise<Evaluation>,
  x0: Float64Array,
  options: LbfgsOptions = {},
): Promise<LbfgsResult> {
  return driveAsync(lbfgsSteps(x0, options), evaluate);
}

/** The L-BFGS iterations as a generator of the points to evaluate (one algorithm, two drivers). */
function* lbfgsSteps(
  x0: Float64Array,
  options: LbfgsOptions,
): Generator<Float64Array, LbfgsResult, Evaluation> {
  const m = options.historySize ?? 10;
  const maxIterations = options.maxIterations ?? 500;
  const gradientTolerance = options.gradientTolerance ?? 1e-7;
  const objectiveTolerance = options.objectiveTolerance ?? 1e-12;
  const stepTolerance = options.stepTolerance ?? 1e-12;
  checkMaxIterations(maxIterations);
  const n = x0.length;
  const memory = new CurvatureMemory(m, n);
  const wolfe = {
    c1: options.c1 ?? 1e-4,
    c2: options.c2 ?? 0.9,
    functionNoise: options.functionNoise ?? 0,
  };

  let x = Float64Array.from(x0);
  let current: Evaluation = yield x;
  let functionEvaluations = 1;
  const done = (stopReason: LbfgsStopReason, iterations: number): LbfgsResult => ({
    x,
    value: current.value,
    gradient: current.gradient,
    iterations,
    functionEvaluations,
    stopReason,
    gradientNorm: maxAbs(current.gradient),
  });
  if (!Number.isFinite(current.value) || !current.gradient.every(Number.isFinite))
    return done('non-finite', 0);
  if (maxAbs(current.gradient) <= gradientTolerance) return done('gradient', 0);

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (options.signal?.aborted === true) return done('aborted', iteration - 1);
    const g = current.gradient;
    const d = memory.direction(g);
    let gtd = dot(g, d);
    if (!(gtd < 0)) {
      // Not a descent direction (curvature information gone stale): restart from steepest descent.
      memory.reset();
      for (let i = 0; i < n; i++) d[i] = -(g[i] as number);
      gtd = dot(g, d);
    }
    // Without history the direction is −g: try a step of length 1 in the ℓ1 sense; after that the
    // quasi-Newton step 1 is the natural first guess.
    const t0 = memory.empty ? Math.min(1, 1 / sumAbs(g)) : 1;
    let search = yield* strongWolfeSteps(x, t0, d, current, wolfe);
    functionEvaluations += search.evaluations;
    if (!Number.isFinite(search.value) || !(search.wolfe || search.value < current.value)) {
      const fallback = yield* backtrackSteps(x, 1, d, current, { c1: wolfe.c1 });
      if (fallback === undefined) return done('line-search-failed', iteration - 1);
      functionEvaluations += fallback.evaluations;
      search = fallback;
    }
    const s = Float64Array.from(d, (v) => v * search.step);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = (search.gradient[i] as number) - (g[i] as number);
    memory.push(s, y);
    const previousValue = current.value;
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = (x[i] as number) + (s[i] as number);
    x = next;
    current = { value: search.value, gradient: search.gradient };
    options.onIteration?.({
      iteration,
      value: current.value,
      gradientNorm: maxAbs(current.gradient),
      x,
    });

    if (maxAbs(current.gradient) <= gradientTolerance) return done('gradient', iteration);
    const scale = Math.max(Math.abs(previousValue), Math.abs(current.value), 1);
    if (Math.abs(previousValue - current.value) <= objectiveTolerance * scale)
      return done('objective', iteration);
    if (maxAbs(s) <= stepTolerance) return done('step', iteration);
  }
  return done('max-iterations', maxIterations);
}
export type { Evaluation } from './line-search.js';
