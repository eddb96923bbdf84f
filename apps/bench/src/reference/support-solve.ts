import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { DesignMatrix } from '@spredjs/solvers';
import type { Datafit64 } from '../problems/datafit.js';
import { correlations, predictions } from '../problems/duality-gap.js';

/** Options of {@link solveOnSupport}. */
export interface SupportSolveOptions {
  /** Support changes (a sign crossing dropped, a violator added) before giving up. Default 1000. */
  readonly maxRounds?: number;
  /** Newton steps per support. Default 50 (squared loss needs one). */
  readonly maxNewtonSteps?: number;
}

/** What {@link solveOnSupport} found. */
export interface SupportSolution {
  readonly coef: Float64Array;
  /** Support changes it made. */
  readonly rounds: number;
}

/**
 * Polishes a near-optimal answer of L(Xw) + α‖w‖₁ to machine precision by solving the KKT
 * equations on its support with its signs, ∇_S L(X_S w_S) + α·sign(w_S) = 0, by Newton's method
 * with Cholesky factorizations in float64 (one step for squared loss: X_Sᵀ X_S w_S =
 * X_Sᵀy − nα·sign(w_S)). A coefficient whose sign would flip is dropped at the point where it
 * crosses zero, and the feature that most breaks |∇_j L| ≤ α joins with the sign that lowers the
 * objective — feature-sign search (Lee et al., 2007). Started where an iterative solver left off
 * it usually needs no support change at all; started from 0 it is an exact solver of its own.
 *
 * @example
 * ```ts
 * const cd = new Lasso({ alpha, solver: 'cd', tol: 1e-12, fitIntercept: false }).fit(x, y);
 * const exact = solveOnSupport(x, squaredDatafit(y), alpha, cd.coef).coef;
 * ```
 */
export function solveOnSupport(
  x: DesignMatrix,
  datafit: Datafit64,
  alpha: number,
  start: ArrayLike<number>,
  options: SupportSolveOptions = {},
): SupportSolution {
  const maxRounds = options.maxRounds ?? 1000;
  const w = Float64Array.from({ length: x.cols }, (_, j) => start[j] as number);
  const active: number[] = [];
  const signs: number[] = [];
  for (let j = 0; j < x.cols; j++)
    if (w[j] !== 0) {
      active.push(j);
      signs.push(Math.sign(w[j] as number));
    }
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const from = active.map((j) => w[j] as number);
    const to = newtonOnSupport(
      x,
      datafit,
      alpha,
      active,
      signs,
      from,
      options.maxNewtonSteps ?? 50,
    );
    // Along the segment from→to the objective restricted to the signs' orthant only falls (it is
    // convex and `to` is its minimizer), so stopping at the first zero crossing is a descent step.
    let step = 1;
    for (let a = 0; a < active.length; a++)
      if (Math.sign(to[a] as number) !== signs[a]) {
        const f = from[a] as number;
        step = Math.min(step, f / (f - (to[a] as number)));
      }
    for (let a = 0; a < active.length; a++) {
      const f = from[a] as number;
      const v = f + step * ((to[a] as number) - f);
      w[active[a] as number] = Math.sign(v) === signs[a] ? v : 0;
    }
    if (step < 1) {
      for (let a = active.length - 1; a >= 0; a--)
        if (w[active[a] as number] === 0) {
          active.splice(a, 1);
          signs.splice(a, 1);
        }
      continue;
    }
    const g = correlations(x, datafit.gradient(predictions(x, w)));
    const inside = new Set(active);
    // One feature at a time, the worst violator: adding several can make the new ones flip sign
    // at once, and the step to the first crossing is then zero.
    let worst = -1;
    for (let j = 0; j < x.cols; j++)
      if (
        !inside.has(j) &&
        Math.abs(g[j] as number) > alpha * (1 + 1e-14) &&
        (worst < 0 || Math.abs(g[j] as number) > Math.abs(g[worst] as number))
      )
        worst = j;
    if (worst < 0) break;
    active.push(worst);
    signs.push(-Math.sign(g[worst] as number));
  }
  return { coef: w, rounds };
}

/** Minimizes L(X_S v) + α σᵀv over v by damped Newton steps from `from`. */
function newtonOnSupport(
  x: DesignMatrix,
  datafit: Datafit64,
  alpha: number,
  active: readonly number[],
  signs: readonly number[],
  from: readonly number[],
  maxSteps: number,
): number[] {
  const n = x.rows;
  const k = active.length;
  if (k === 0) return [];
  const columns = active.map((j) => x.data.subarray(j * n, (j + 1) * n));
  const predict = (v: readonly number[]) => {
    const z = new Float64Array(n);
    columns.forEach((c, a) => {
      const va = v[a] as number;
      for (let i = 0; i < n; i++) z[i] = (z[i] as number) + va * (c[i] as number);
    });
    return z;
  };
  const objective = (v: readonly number[]) =>
    datafit.value(predict(v)) + alpha * v.reduce((s, va, a) => s + (signs[a] as number) * va, 0);
  let v = [...from];
  let value = objective(v);
  let previous = Infinity;
  for (let step = 0; step < maxSteps; step++) {
    const z = predict(v);
    const g = datafit.gradient(z);
    const h = datafit.curvature(z);
    const gradient = columns.map((c, a) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (c[i] as number) * (g[i] as number);
      return s + alpha * (signs[a] as number);
    });
    const hessian = new Matrix(k, k);
    const weighted = columns.map((c) => Float64Array.from(c, (ci, i) => ci * (h[i] as number)));
    for (let a = 0; a < k; a++)
      for (let b = 0; b <= a; b++) {
        const wa = weighted[a] as Float64Array;
        const cb = columns[b] as Float64Array;
        let s = 0;
        for (let i = 0; i < n; i++) s += (wa[i] as number) * (cb[i] as number);
        hessian.set(a, b, s);
        hessian.set(b, a, s);
      }
    const cholesky = new CholeskyDecomposition(hessian);
    // A support larger than the rank of X_S has no unique solution: keep what the solver gave.
    if (!cholesky.isPositiveDefinite()) return v;
    const direction = cholesky
      .solve(Matrix.columnVector(gradient))
      .to1DArray()
      .map((d) => -d);
    const decrement = -direction.reduce((s, d, a) => s + d * (gradient[a] as number), 0);
    if (!(decrement > 0)) break;
    const scale = Math.max(1, Math.abs(value));
    if (decrement <= 1e-8 * scale) {
      // Near the minimizer the full step is right and the objective's rounding could not confirm
      // a decrease anyway; quadratic convergence makes the next decrement negligible.
      v = v.map((va, a) => va + (direction[a] as number));
      value = objective(v);
      if (decrement <= 1e-28 * scale || decrement > previous / 10) break;
      previous = decrement;
      continue;
    }
    let t = 1;
    let next = v.map((va, a) => va + (direction[a] as number));
    let nextValue = objective(next);
    while (nextValue > value - 0.25 * t * decrement && t > 1e-10) {
      t /= 2;
      next = v.map((va, a) => va + t * (direction[a] as number));
      nextValue = objective(next);
    }
    if (t <= 1e-10) break;
    v = next;
    value = nextValue;
  }
  return v;
}
