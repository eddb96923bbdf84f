import { ActiveCholesky } from './active-cholesky.js';

/** Most coefficients that enter at one step (doubled after a step that lowers the objective). */
const MAX_ENTERING = 64;

/** The quadratic part of a feature-sign problem: A's entries and the gradient Av − b. */
export interface Quadratic {
  /** A_ij. */
  entry(i: number, j: number): number;
  /** Writes (Av − b)_j into `out` for j in `indices` (every j when undefined); v is zero off `active`. */
  gradient(
    v: Float64Array,
    active: readonly number[],
    indices: readonly number[] | undefined,
    out: Float64Array,
  ): void;
}

/**
 * min ½vᵀAv − bᵀv + Σ λ_j|v_j| by feature-sign search (Lee, Battle, Raina & Ng 2007) from `start`,
 * on an updatable Cholesky factor of the active set's A. Returns undefined where the active set's A is singular.
 *
 * Each step solves the active set's KKT system for the current signs and takes the lowest
 * objective along the way there (at t = 1 or where a coefficient crosses zero); a coefficient
 * that reaches zero leaves. At the active set's solution the zero coefficients that violate
 * |∇_j| ≤ λ_j enter with the sign that lowers the objective: the worst violators together (up
 * to a batch that doubles while batches lower the objective), else the single worst one, whose
 * step always lowers it. The objective falls at every step, so no sign pattern repeats.
 *
 * Costs per step: O(s²) for the solve and the line search (s = active size), one gradient on
 * the active set, and a full gradient each time the active set is optimal.
 */
export function featureSign(
  start: Float64Array,
  b: Float64Array,
  levels: Float64Array,
  quadratic: Quadratic,
  d: number,
): Float64Array | undefined {
  const v = Float64Array.from(start);
  const signs = Float64Array.from(v, Math.sign);
  const cholesky = new ActiveCholesky(quadratic.entry);
  // Largest first: a start with more nonzeros than X_S has rank keeps the ones it can hold
  // (the rest start at zero, and enter again if they violate optimality).
  const order = Array.from({ length: d }, (_, j) => j)
    .filter((j) => signs[j] !== 0)
    .sort((p, q) => Math.abs(v[q] as number) - Math.abs(v[p] as number));
  for (const j of order) {
    if (!cholesky.add(j)) {
      v[j] = 0;
      signs[j] = 0;
    }
  }
  const g = new Float64Array(d);
  const gradient = (indices?: readonly number[]) =>
    quadratic.gradient(v, cholesky.members, indices, g);
  let batch = 1;
  // True after a full step to the KKT solution of the active set (its coefficients are optimal).
  let activeOptimal = false;
  for (let step = 0; step < 4 * d + 10; step++) {
    let entering: number[] = [];
    if (activeOptimal) {
      gradient();
      const violators: { j: number; excess: number }[] = [];
      for (let j = 0; j < d; j++) {
        if (signs[j] !== 0) continue;
        const excess = (Math.abs(g[j] as number) - (levels[j] as number)) / (levels[j] as number);
        if (excess > 1e-9) violators.push({ j, excess });
      }
      // None (beyond rounding) means v is the minimum.
      if (violators.length === 0) return v;
      violators.sort((p, q) => q.excess - p.excess);
      entering = violators.slice(0, batch).map(({ j }) => j);
    } else {
      gradient(cholesky.members);
    }
    const stepped = takeStep(entering);
    if (stepped === 'singular') return undefined;
    if (stepped === 'uphill') {
      // The batch did not lower the objective: the single worst violator always does.
      batch = 1;
      if (takeStep(entering.slice(0, 1)) === 'singular') return undefined;
    } else if (entering.length > 0) {
      batch = Math.min(2 * batch, MAX_ENTERING);
    }
  }
  return undefined;

  /**
   * Adds `entering` (signs from the gradient), steps towards the active set's KKT solution and
   * drops coefficients that reach zero. A batch of several that would not lower the objective is
   * undone ('uphill').
   */
  function takeStep(entering: readonly number[]): 'singular' | 'uphill' | 'descent' {
    const added: number[] = [];
    for (const j of entering) {
      signs[j] = -Math.sign(g[j] as number);
      if (cholesky.add(j)) added.push(j);
      else signs[j] = 0;
    }
    if (entering.length > 0 && added.length === 0) return 'singular';
    const active = cholesky.members;
    const s = active.length;
    const rhs = new Float64Array(s);
    for (let p = 0; p < s; p++) {
      const j = active[p] as number;
      rhs[p] = (b[j] as number) - (levels[j] as number) * (signs[j] as number);
    }
    const target = cholesky.solve(rhs);
    // Along v + tΔ (Δ = target − v) the smooth part is gᵀΔ·t + ½ΔᵀAΔ·t²; A_SS·target = rhs and
    // A_SS·v_S = g_S + b_S give A_SS·Δ = −λ⊙s − g_S, so ΔᵀAΔ needs no product with A.
    const delta = new Float64Array(s);
    let slope = 0;
    let curvature = 0;
    for (let p = 0; p < s; p++) {
      const j = active[p] as number;
      const dj = (target[p] as number) - (v[j] as number);
      delta[p] = dj;
      slope += (g[j] as number) * dj;
      curvature += dj * (-(levels[j] as number) * (signs[j] as number) - (g[j] as number));
    }
    const along = (t: number) => {
      let f = slope * t + 0.5 * curvature * t * t;
      for (let p = 0; p < s; p++) {
        const j = active[p] as number;
        f += (levels[j] as number) * Math.abs((v[j] as number) + t * (delta[p] as number));
      }
      return f;
    };
    // The lowest objective among t = 1 and the zero crossings.
    let bestStep = 1;
    let bestValue = along(1);
    for (let p = 0; p < s; p++) {
      const from = v[active[p] as number] as number;
      const to = target[p] as number;
      if (from === 0 || Math.sign(to) === Math.sign(from)) continue;
      const t = from / (from - to);
      const f = along(t);
      if (f < bestValue) {
        bestValue = f;
        bestStep = t;
      }
    }
    if (added.length > 1 && !(bestValue < along(0))) {
      for (const j of added) signs[j] = 0;
      cholesky.remove(new Set(added));
      return 'uphill';
    }
    for (let p = 0; p < s; p++) {
      const j = active[p] as number;
      const from = v[j] as number;
      let to = bestStep === 1 ? (target[p] as number) : from + bestStep * (delta[p] as number);
      if (bestStep !== 1 && Math.abs(to) <= 1e-15 * Math.abs(from)) to = 0;
      v[j] = to;
    }
    activeOptimal = bestStep === 1;
    // A coefficient that ended on the wrong side of zero (or at it) leaves the active set.
    const leaving = new Set(active.filter((j) => (v[j] as number) * (signs[j] as number) <= 0));
    if (leaving.size > 0) {
      for (const j of leaving) {
        v[j] = 0;
        signs[j] = 0;
      }
      cholesky.remove(leaving);
      activeOptimal = false;
    }
    return 'descent';
  }
}
