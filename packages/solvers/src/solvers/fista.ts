import { SpredInputError } from '@spredjs/core/errors';
import { multiplyTransposed, spectralNormSquaredOverN } from '../data/linear-algebra.js';
import {
  finalResult,
  initialIntercept,
  predictions,
  recordGap,
  zeroObjective,
  type SolveOptions,
  type SolveResult,
  type SolverRecord,
  type SparseProblem,
} from './problem.js';

/**
 * FISTA (Beck & Teboulle 2009) with gradient-based adaptive restart (O'Donoghue & Candès 2015),
 * in float64, for any datafit and convex penalty with a prox: the exact reference for logistic and
 * multinomial problems. Step 1/L with L = curvature·(λmax(XᵀX/n) + 1 if an intercept is fitted).
 * Stops when the duality gap ≤ tol × objective(0), checked every `gapEvery` iterations.
 */
export function fista(
  problem: SparseProblem,
  options: SolveOptions & { gapEvery?: number } = {},
): SolveResult {
  const { x, y, k, datafit, penalty } = problem;
  const prox = penalty.prox;
  if (prox === undefined || !penalty.convex)
    throw new SpredInputError(
      `solver 'fista' needs a convex penalty with a prox, got ${penalty.name}`,
    );
  const n = x.rows;
  const d = x.cols;
  const tol = options.tol ?? 1e-6;
  const maxIterations = options.maxIterations ?? 20_000;
  const gapEvery = options.gapEvery ?? 10;
  const scale = zeroObjective(problem);
  const lipschitz =
    datafit.curvature * (spectralNormSquaredOverN(x) * 1.01 + (problem.fitIntercept ? 1 : 0));
  const step = 1 / lipschitz;
  let w: Float64Array = Float64Array.from(options.warmStart?.w ?? new Float64Array(d * k));
  let b: Float64Array = Float64Array.from(
    options.warmStart?.intercept ?? initialIntercept(problem),
  );
  let yw: Float64Array = Float64Array.from(w);
  let yb: Float64Array = Float64Array.from(b);
  let t = 1;
  const history: SolverRecord[] = [];
  const started = performance.now();
  for (let it = 1; it <= maxIterations; it++) {
    if (options.signal?.aborted === true) break;
    const theta = datafit.negativeSampleGradient(
      predictions(problem, { w: yw, intercept: yb }),
      y,
      n,
      k,
    );
    const g = multiplyTransposed(x, theta, k);
    const next = prox(
      Float64Array.from(yw, (v, i) => v + (step * (g[i] as number)) / n),
      step,
      d,
      k,
    );
    const nextB = Float64Array.from(yb, (v, c) => {
      if (!problem.fitIntercept) return 0;
      let s = 0;
      for (let i = 0; i < n; i++) s += theta[c * n + i] as number;
      return v + (step * s) / n;
    });
    // Restart when the momentum points uphill: ⟨y − w⁺, w⁺ − w⟩ > 0.
    let uphill = 0;
    for (let i = 0; i < next.length; i++)
      uphill +=
        ((yw[i] as number) - (next[i] as number)) * ((next[i] as number) - (w[i] as number));
    for (let c = 0; c < k; c++)
      uphill +=
        ((yb[c] as number) - (nextB[c] as number)) * ((nextB[c] as number) - (b[c] as number));
    const tNext = uphill > 0 ? 1 : (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const momentum = uphill > 0 ? 0 : (t - 1) / tNext;
    yw = Float64Array.from(next, (v, i) => v + momentum * (v - (w[i] as number)));
    yb = Float64Array.from(nextB, (v, c) => v + momentum * (v - (b[c] as number)));
    w = next;
    b = nextB;
    t = tNext;
    if (it % gapEvery === 0 || it === maxIterations) {
      const done = recordGap(problem, { w, intercept: b }, it, tol * scale, history, started);
      if (done !== undefined) return done;
    }
  }
  return finalResult(problem, { w, intercept: b }, tol * scale, history);
}
