import { axpy, dot, maxAbs } from './vector.js';

/** f and ∇f at a point. */
export interface Evaluation {
  readonly value: number;
  readonly gradient: Float64Array;
}

/** Where a line search ended. */
export interface LineSearchResult extends Evaluation {
  readonly step: number;
  readonly evaluations: number;
  /** True when the point satisfies the strong Wolfe conditions. */
  readonly wolfe: boolean;
}

/**
 * Minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to `bounds` (default: the
 * interval between x1 and x2); the midpoint when the cubic has no minimum.
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: readonly [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    if (Number.isFinite(minPos)) return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/**
 * A line search along d from x for a step satisfying the strong Wolfe conditions
 * f(x + t d) ≤ f + c1·t·gᵀd and |∇f(x + t d)ᵀd| ≤ c2·|gᵀd| (Nocedal & Wright, Alg. 3.5–3.6:
 * bracketing, then zoom with safeguarded cubic interpolation; the scheme of PyTorch's LBFGS).
 */
export function strongWolfe(
  evaluate: (x: Float64Array) => Evaluation,
  x: Float64Array,
  t0: number,
  d: Float64Array,
  start: Evaluation,
  options: StrongWolfeOptions = {},
): LineSearchResult {
  return drive(strongWolfeSteps(x, t0, d, start, options), evaluate);
}

/** Options of {@link strongWolfe}. */
export interface StrongWolfeOptions {
  readonly c1?: number;
  readonly c2?: number;
  readonly toleranceChange?: number;
  readonly maxEvaluations?: number;
  readonly functionNoise?: number;
}

/**
 * {@link strongWolfe} as a generator: it yields each point to evaluate and is resumed with the
 * point's value and gradient, so one search serves synchronous and asynchronous objectives.
 */
export function* strongWolfeSteps(
  x: Float64Array,
  t0: number,
  d: Float64Array,
  start: Evaluation,
  options: StrongWolfeOptions = {},
): Generator<Float64Array, LineSearchResult, Evaluation> {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const toleranceChange = options.toleranceChange ?? 1e-9;
  const maxLs = options.maxEvaluations ?? 25;
  const f = start.value;
  const gtd = dot(start.gradient, d);
  const dNorm = maxAbs(d);
  // Hager & Zhang's approximate Wolfe test: where f changes by less than its own rounding
  // (float32 objectives), sufficient decrease is read from the slope, φ'(t) ≤ (2δ − 1)·φ'(0) with
  // δ = 0.1, as long as f has not risen by more than the noise level.
  const noise = (options.functionNoise ?? 0) * Math.abs(f);
  const sufficientDecrease = (t: number, e: Evaluation, slope: number) =>
    Number.isFinite(e.value) &&
    (e.value <= f + c1 * t * gtd || (noise > 0 && e.value <= f + noise && slope <= -0.8 * gtd));

  let t = t0;
  let current: Evaluation = yield axpy(x, t, d);
  let evaluations = 1;
  let gtdNew = dot(current.gradient, d);
  let tPrev = 0;
  let prev: Evaluation = start;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketEval: Evaluation[] = [];
  let bracketGtd: number[] = [];

  while (lsIter < maxLs) {
    const value = current.value;
    if (!sufficientDecrease(t, current, gtdNew) || (lsIter > 1 && value >= prev.value + noise)) {
      bracket = [tPrev, t];
      bracketEval = [prev, current];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketEval = [current];
      bracketGtd = [gtdNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketEval = [prev, current];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, prev.value, gtdPrev, t, value, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    prev = current;
    gtdPrev = gtdNew;
    current = yield axpy(x, t, d);
    evaluations++;
    gtdNew = dot(current.gradient, d);
    lsIter++;
  }
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketEval = [start, current];
    bracketGtd = [gtd, gtdNew];
  }

  // Zoom: shrink the bracket until a point satisfies both conditions.
  let insufficientProgress = false;
  let [low, high] =
    (bracketEval[0] as Evaluation).value <=
    (bracketEval[bracketEval.length - 1] as Evaluation).value
      ? [0, 1]
      : [1, 0];
  while (!done && lsIter < maxLs && bracket.length === 2) {
    const [b0, b1] = bracket as [number, number];
    if (Math.abs(b1 - b0) * dNorm < toleranceChange) break;
    const [e0, e1] = bracketEval as [Evaluation, Evaluation];
    t = cubicInterpolate(
      b0,
      e0.value,
      bracketGtd[0] as number,
      b1,
      e1.value,
      bracketGtd[1] as number,
    );
    const bMax = Math.max(b0, b1);
    const bMin = Math.min(b0, b1);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }
    current = yield axpy(x, t, d);
    evaluations++;
    gtdNew = dot(current.gradient, d);
    lsIter++;
    const lowEval = bracketEval[low] as Evaluation;
    if (!sufficientDecrease(t, current, gtdNew) || current.value >= lowEval.value + noise) {
      bracket[high] = t;
      bracketEval[high] = current;
      bracketGtd[high] = gtdNew;
      [low, high] =
        (bracketEval[0] as Evaluation).value <= (bracketEval[1] as Evaluation).value
          ? [0, 1]
          : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * ((bracket[high] as number) - (bracket[low] as number)) >= 0) {
        bracket[high] = bracket[low] as number;
        bracketEval[high] = lowEval;
        bracketGtd[high] = bracketGtd[low] as number;
      }
      bracket[low] = t;
      bracketEval[low] = current;
      bracketGtd[low] = gtdNew;
    }
  }
  const index = bracket.length === 1 ? 0 : low;
  const best = bracketEval[index] as Evaluation;
  return {
    step: bracket[index] as number,
    value: best.value,
    gradient: best.gradient,
    evaluations,
    wolfe: done,
  };
}

/**
 * Backtracking (Armijo) fallback: halves t until f(x + t d) ≤ f + c1·t·gᵀd. Returns undefined
 * when no such step is found in `maxHalvings` tries.
 */
export function backtrack(
  evaluate: (x: Float64Array) => Evaluation,
  x: Float64Array,
  t0: number,
  d: Float64Array,
  start: Evaluation,
  options: { c1?: number; maxHalvings?: number } = {},
): LineSearchResult | undefined {
  return drive(backtrackSteps(x, t0, d, start, options), evaluate);
}

/** {@link backtrack} as a generator of the points to evaluate (see {@link strongWolfeSteps}). */
export function* backtrackSteps(
  x: Float64Array,
  t0: number,
  d: Float64Array,
  start: Evaluation,
  options: { c1?: number; maxHalvings?: number } = {},
): Generator<Float64Array, LineSearchResult | undefined, Evaluation> {
  const c1 = options.c1 ?? 1e-4;
  const gtd = dot(start.gradient, d);
  let t = t0;
  for (let i = 0; i < (options.maxHalvings ?? 40); i++) {
    const e: Evaluation = yield axpy(x, t, d);
    if (Number.isFinite(e.value) && e.value <= start.value + c1 * t * gtd) {
      return { step: t, value: e.value, gradient: e.gradient, evaluations: i + 1, wolfe: false };
    }
    t /= 2;
  }
  return undefined;
}

/** Runs a generator of points to evaluate to its end, evaluating each point synchronously. */
export function drive<R>(
  steps: Generator<Float64Array, R, Evaluation>,
  evaluate: (x: Float64Array) => Evaluation,
): R {
  let next = steps.next();
  while (next.done !== true) next = steps.next(evaluate(next.value));
  return next.value;
}

/** {@link drive} with an asynchronous objective (e.g. tensors read with `await data()`). */
export async function driveAsync<R>(
  steps: Generator<Float64Array, R, Evaluation>,
  evaluate: (x: Float64Array) => Promise<Evaluation>,
): Promise<R> {
  let next = steps.next();
  while (next.done !== true) next = steps.next(await evaluate(next.value));
  return next.value;
}
