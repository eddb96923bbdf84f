import { blockCoordinateDescent } from '../coordinate-descent.js';
import { fista } from '../fista.js';
import { ActiveCholesky } from './active-cholesky.js';
import { columnsOf } from '../../data/column-provenance.js';
import { dotAt, multiplyTransposed } from '../../data/linear-algebra.js';
import { predictions, type Coefficients, type SparseProblem } from '../problem.js';

/**
 * spred's exact finishing step. Once the smooth problem has found the support and the signs of
 * the solution, the L1 problem restricted to them is smooth (|v_j| = s_j·v_j): for squared loss
 * its minimum solves one linear system, (X_SᵀX_S/n + ridge·I) v = X_Sᵀy/n − α ω_S ⊙ s, and
 * feature-sign search corrects a pattern that is not quite right; for logistic loss a few Newton
 * steps find it, kept only if every sign agrees with the pattern. The caller's duality gap then
 * certifies the answer on every feature.
 *
 * Group penalties and the multinomial loss have no such closed form: there the exact reference
 * (block coordinate descent, or FISTA) finishes from spred's answer to the relative gap `tol`.
 * Returns undefined where the pattern was not the solution's (a sign flipped, a singular system).
 */
export function exactFinish(
  problem: SparseProblem,
  c: Coefficients,
  tol = 1e-12,
): Coefficients | undefined {
  const { datafit, penalty } = problem;
  const elementwise = penalty.name === 'l1' || penalty.name === 'elasticnet';
  if (!penalty.convex) return undefined;
  if (elementwise && datafit.name === 'squared' && !problem.fitIntercept)
    return squaredFinish(problem, c);
  if (elementwise && datafit.name === 'logistic' && problem.k === 1)
    return logisticActiveSet(problem, c);
  const reference =
    datafit.name === 'squared' && !problem.fitIntercept
      ? blockCoordinateDescent(problem, { warmStart: c, tol, maxIterations: 2000 })
      : fista(problem, { warmStart: c, tol, maxIterations: 5000 });
  return { w: reference.w, intercept: reference.intercept };
}

function supportOf(w: Float64Array, k: number, column: number, d: number): number[] {
  const support: number[] = [];
  for (let j = 0; j < d; j++) if ((w[j * k + column] as number) !== 0) support.push(j);
  return support;
}

function dotColumns(data: Float64Array, n: number, a: number, b: number): number {
  return dotAt(data, a * n, data, b * n, n);
}

/**
 * Rows of XᵀX/n computed so far, per full design and per feature of it, each over the columns of
 * the sub-matrix it was last asked for: a working set's next (larger) round computes only the
 * products with the columns it added.
 */
const GRAM_ROWS = new WeakMap<
  Float64Array,
  Map<number, { features: readonly number[]; values: Float64Array }>
>();

function squaredFinish(problem: SparseProblem, c: Coefficients): Coefficients | undefined {
  const { x, y, k, penalty } = problem;
  const n = x.rows;
  const d = x.cols;
  const levels = penalty.unitLevels(d);
  const ridge = penalty.ridge;
  const provenance = columnsOf(x.data) ?? {
    parent: x.data,
    features: Array.from({ length: d }, (_, j) => j),
  };
  let cache = GRAM_ROWS.get(provenance.parent);
  if (cache === undefined) GRAM_ROWS.set(provenance.parent, (cache = new Map()));
  const rows = cache;
  const local = new Map<number, Float64Array>();
  const gramRow = (j: number) => {
    let row = local.get(j);
    if (row !== undefined) return row;
    const feature = provenance.features[j] as number;
    const known = rows.get(feature);
    row = new Float64Array(d);
    // Both column lists ascend: merge, computing only the products not known yet.
    let p = 0;
    for (let q = 0; q < d; q++) {
      const fq = provenance.features[q] as number;
      while (known !== undefined && p < known.features.length && (known.features[p] as number) < fq)
        p++;
      row[q] =
        known !== undefined && known.features[p] === fq
          ? (known.values[p] as number)
          : dotColumns(x.data, n, j, q) / n;
    }
    rows.set(feature, { features: provenance.features, values: row });
    if (ridge !== 0) {
      row = Float64Array.from(row);
      row[j] = (row[j] as number) + ridge;
    }
    local.set(j, row);
    return row;
  };
  const w = new Float64Array(d * k);
  for (let col = 0; col < k; col++) {
    const b = multiplyTransposed(x, y.subarray(col * n, (col + 1) * n), 1).map((v) => v / n);
    const v = Float64Array.from({ length: d }, (_, j) => c.w[j * k + col] as number);
    const solved = featureSign(v, b, levels, gramRow, d);
    if (solved === undefined) return undefined;
    solved.forEach((value, j) => (w[j * k + col] = value));
  }
  return { w, intercept: new Float64Array(k) };
}

/** min ½vᵀAv − bᵀv + Σ λ_j|v_j| by feature-sign search from v; A's rows come from `row`. */
function featureSign(
  start: Float64Array,
  b: Float64Array,
  levels: Float64Array,
  row: (j: number) => Float64Array,
  d: number,
): Float64Array | undefined {
  const v = Float64Array.from(start);
  const gradient = () => {
    const g = Float64Array.from(b, (bj) => -bj);
    for (let a = 0; a < d; a++) {
      const va = v[a] as number;
      if (va === 0) continue;
      const r = row(a);
      for (let j = 0; j < d; j++) g[j] = (g[j] as number) + va * (r[j] as number);
    }
    return g;
  };
  const signs = Float64Array.from(v, Math.sign);
  const cholesky = new ActiveCholesky((i, j) => row(i)[j] as number);
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
  // True after a full step to the KKT solution of the active set (its coefficients are optimal).
  let activeOptimal = false;
  for (let step = 0; step < 2 * d + 10; step++) {
    const g = gradient();
    if (activeOptimal) {
      // The zero coefficient that violates |∇_j| ≤ λ_j most enters, with the sign that lowers
      // the objective; none (beyond rounding) means v is the minimum.
      let worst = -1;
      let violation = 1e-9;
      for (let j = 0; j < d; j++) {
        if (signs[j] !== 0) continue;
        const excess = (Math.abs(g[j] as number) - (levels[j] as number)) / (levels[j] as number);
        if (excess > violation) {
          violation = excess;
          worst = j;
        }
      }
      if (worst < 0) return v;
      signs[worst] = -Math.sign(g[worst] as number);
      if (!cholesky.add(worst)) return undefined;
    }
    const active = cholesky.members;
    const rhs = Float64Array.from(
      active,
      (j) => (b[j] as number) - (levels[j] as number) * (signs[j] as number),
    );
    const solution = cholesky.solve(rhs);
    const target = Float64Array.from(v);
    active.forEach((j, p) => (target[j] = solution[p] as number));
    // The lowest objective along v + tΔ (Δ = target − v), among t = 1 and the zero crossings:
    // its smooth part is gᵀΔ·t + ½ΔᵀAΔ·t² (g = Av − b), its L1 part is evaluated at each t.
    const delta = Float64Array.from(active, (j) => (target[j] as number) - (v[j] as number));
    let slope = 0;
    let curvature = 0;
    active.forEach((j, p) => {
      const dj = delta[p] as number;
      if (dj === 0) return;
      slope += (g[j] as number) * dj;
      const r = row(j);
      let ad = 0;
      active.forEach((q, t) => (ad += (r[q] as number) * (delta[t] as number)));
      curvature += dj * ad;
    });
    const along = (t: number) => {
      let f = slope * t + 0.5 * curvature * t * t;
      active.forEach((j, p) => {
        f += (levels[j] as number) * Math.abs((v[j] as number) + t * (delta[p] as number));
      });
      return f;
    };
    const crossings = [1];
    active.forEach((j, p) => {
      const from = v[j] as number;
      const to = target[j] as number;
      if (from !== 0 && Math.sign(to) !== Math.sign(from)) crossings.push(from / (from - to));
      void p;
    });
    let bestStep = 1;
    let bestValue = Infinity;
    for (const t of crossings) {
      const f = along(t);
      if (f < bestValue) {
        bestValue = f;
        bestStep = t;
      }
    }
    const bestPoint =
      bestStep === 1
        ? target
        : Float64Array.from(v, (vj, j) => vj + bestStep * ((target[j] as number) - vj));
    if (bestStep !== 1)
      for (const j of active)
        if (Math.abs(bestPoint[j] as number) <= 1e-15 * Math.abs(v[j] as number)) bestPoint[j] = 0;
    activeOptimal = bestStep === 1;
    v.set(bestPoint);
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
  }
  return undefined;
}

/**
 * Logistic loss: Newton on the support with its signs; a coefficient whose sign flips leaves, a
 * zero that violates optimality most enters (with the sign that lowers the objective), until the
 * signs hold and no zero violates (the caller's duality gap certifies it) or 4·d + 10 tries.
 */
function logisticActiveSet(problem: SparseProblem, c: Coefficients): Coefficients | undefined {
  const { x, y, penalty } = problem;
  const n = x.rows;
  const d = x.cols;
  const levels = penalty.unitLevels(d);
  let current = c;
  for (let attempt = 0; attempt < 4 * d + 10; attempt++) {
    const solved = logisticFinish(problem, current);
    if (solved.flipped.length > 0) {
      const w = Float64Array.from(solved.coefficients.w);
      for (const j of solved.flipped) w[j] = 0;
      current = { w, intercept: solved.coefficients.intercept };
      continue;
    }
    const { w, intercept } = solved.coefficients;
    // ∂F/∂w_j = −(Xᵀθ)_j/n with θ = y − σ(z), at the Newton solution.
    const pull = multiplyTransposed(
      x,
      problem.datafit.negativeSampleGradient(predictions(problem, solved.coefficients), y, n, 1),
      1,
    );
    let worst = -1;
    let violation = 1e-9;
    let direction = 0;
    for (let j = 0; j < d; j++) {
      if ((w[j] as number) !== 0) continue;
      const g = -(pull[j] as number) / n;
      const excess = (Math.abs(g) - (levels[j] as number)) / (levels[j] as number);
      if (excess > violation) {
        violation = excess;
        worst = j;
        direction = -Math.sign(g);
      }
    }
    if (worst < 0) return solved.coefficients;
    const entering = Float64Array.from(w);
    // A small step in the descent direction fixes the new coefficient's sign for Newton.
    entering[worst] = direction * 1e-8;
    current = { w: entering, intercept };
  }
  return undefined;
}

function logisticFinish(
  problem: SparseProblem,
  c: Coefficients,
): { coefficients: Coefficients; flipped: number[] } {
  const { x, y, penalty, fitIntercept } = problem;
  const n = x.rows;
  const d = x.cols;
  const support = supportOf(c.w, 1, 0, d);
  const size = support.length;
  const dim = size + (fitIntercept ? 1 : 0);
  if (dim === 0) return { coefficients: c, flipped: [] };
  const levels = penalty.unitLevels(d);
  const signs = support.map((j) => Math.sign(c.w[j] as number));
  const linear = support.map((j, p) => (levels[j] as number) * (signs[p] as number));
  // Parameters: v on the support, then the intercept.
  let params = Float64Array.from({ length: dim }, (_, p) =>
    p < size ? (c.w[support[p] as number] as number) : (c.intercept[0] as number),
  );
  const column = (p: number, i: number) =>
    p < size ? (x.data[(support[p] as number) * n + i] as number) : 1;
  const logits = (v: Float64Array) => {
    const z = new Float64Array(n);
    for (let p = 0; p < dim; p++) {
      const vp = v[p] as number;
      if (vp === 0) continue;
      for (let i = 0; i < n; i++) z[i] = (z[i] as number) + vp * column(p, i);
    }
    return z;
  };
  const value = (v: Float64Array, z: Float64Array) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i] as number;
      f +=
        (zi > 0 ? zi + Math.log1p(Math.exp(-zi)) : Math.log1p(Math.exp(zi))) -
        (y[i] as number) * zi;
    }
    f /= n;
    for (let p = 0; p < size; p++) f += (linear[p] as number) * (v[p] as number);
    return f;
  };
  let z = logits(params);
  let f = value(params, z);
  for (let iteration = 0; iteration < 50; iteration++) {
    const prob = Float64Array.from(z, (zi) => 1 / (1 + Math.exp(-zi)));
    const grad = new Float64Array(dim);
    const hessian = new Float64Array(dim * dim);
    let largest = 0;
    for (let p = 0; p < dim; p++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += column(p, i) * ((prob[i] as number) - (y[i] as number));
      g = g / n + (p < size ? (linear[p] as number) : 0);
      grad[p] = -g;
      largest = Math.max(largest, Math.abs(g));
      for (let q = 0; q <= p; q++) {
        let h = 0;
        for (let i = 0; i < n; i++) {
          const pi = prob[i] as number;
          h += column(p, i) * column(q, i) * pi * (1 - pi);
        }
        hessian[p * dim + q] = h / n;
        hessian[q * dim + p] = h / n;
      }
    }
    if (largest <= 1e-15 * Math.max(1, Math.abs(f))) break;
    const cholesky = new ActiveCholesky((p, q) => hessian[p * dim + q] as number, dim);
    if (!Array.from({ length: dim }, (_, p) => p).every((p) => cholesky.add(p))) break;
    const step = cholesky.solve(grad);
    let slope = 0;
    for (let p = 0; p < dim; p++) slope += (step[p] as number) * -(grad[p] as number);
    let t = 1;
    let accepted = false;
    for (let halving = 0; halving < 40; halving++) {
      const next = Float64Array.from(params, (v, p) => v + t * (step[p] as number));
      const zNext = logits(next);
      const fNext = value(next, zNext);
      if (fNext <= f + 1e-4 * t * slope || (fNext <= f && t < 1e-8)) {
        params = next;
        z = zNext;
        accepted = fNext < f;
        f = fNext;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
  }
  const w = new Float64Array(d);
  const flipped: number[] = [];
  for (let p = 0; p < size; p++) {
    const value = params[p] as number;
    if (!(value * (signs[p] as number) > 0)) flipped.push(support[p] as number);
    w[support[p] as number] = value;
  }
  const intercept = Float64Array.of(
    fitIntercept ? (params[size] as number) : (c.intercept[0] as number),
  );
  return { coefficients: { w, intercept }, flipped };
}
