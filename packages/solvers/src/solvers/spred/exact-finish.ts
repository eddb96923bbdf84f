import { blockCoordinateDescent } from '../coordinate-descent.js';
import { fista } from '../fista.js';
import { ActiveCholesky } from './active-cholesky.js';
import { featureSign, type Quadratic } from './feature-sign.js';
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

/**
 * Entries of XᵀX/n computed so far, per full design, keyed by the smaller then the larger of its
 * two features: a working set's next round and a path's next α compute only the products of
 * features that were never active together. Cleared past {@link GRAM_CACHE_LIMIT} entries.
 */
const GRAM_ENTRIES = new WeakMap<
  Float64Array,
  { size: number; rows: Map<number, Map<number, number>> }
>();

/** Most cached Gram entries per design (≈ 50 bytes each). */
const GRAM_CACHE_LIMIT = 4_000_000;

function squaredFinish(problem: SparseProblem, c: Coefficients): Coefficients | undefined {
  const { x, y, k, penalty } = problem;
  const n = x.rows;
  const d = x.cols;
  const levels = penalty.unitLevels(d);
  const ridge = penalty.ridge;
  const provenance = columnsOf(x.data);
  const parent = provenance?.parent ?? x.data;
  const featureOf = (j: number) =>
    provenance === undefined ? j : (provenance.features[j] as number);
  let cache = GRAM_ENTRIES.get(parent);
  if (cache === undefined) GRAM_ENTRIES.set(parent, (cache = { size: 0, rows: new Map() }));
  const gram = cache;
  const entry = (i: number, j: number) => {
    const fi = featureOf(i);
    const fj = featureOf(j);
    const low = Math.min(fi, fj);
    const high = Math.max(fi, fj);
    let row = gram.rows.get(low);
    if (row === undefined) {
      if (gram.size > GRAM_CACHE_LIMIT) {
        gram.rows.clear();
        gram.size = 0;
      }
      gram.rows.set(low, (row = new Map()));
    }
    let value = row.get(high);
    if (value === undefined) {
      value = dotAt(x.data, i * n, x.data, j * n, n) / n;
      row.set(high, value);
      gram.size++;
    }
    return i === j ? value + ridge : value;
  };
  const w = new Float64Array(d * k);
  for (let col = 0; col < k; col++) {
    const b = multiplyTransposed(x, y.subarray(col * n, (col + 1) * n), 1).map((v) => v / n);
    const residual = new Float64Array(n);
    const quadratic: Quadratic = {
      entry,
      gradient(v, active, indices, out) {
        // (XᵀX/n + ridge·I)v − b through r = X_S v_S: O(n·(s + |indices|)), no Gram rows.
        residual.fill(0);
        for (const a of active) {
          const va = v[a] as number;
          if (va === 0) continue;
          const base = a * n;
          for (let i = 0; i < n; i++)
            residual[i] = (residual[i] as number) + va * (x.data[base + i] as number);
        }
        const at = (j: number) => {
          out[j] =
            dotAt(x.data, j * n, residual, 0, n) / n + ridge * (v[j] as number) - (b[j] as number);
        };
        if (indices === undefined) for (let j = 0; j < d; j++) at(j);
        else for (const j of indices) at(j);
      },
    };
    const v = Float64Array.from({ length: d }, (_, j) => c.w[j * k + col] as number);
    const solved = featureSign(v, b, levels, quadratic, d);
    if (solved === undefined) return undefined;
    solved.forEach((value, j) => (w[j * k + col] = value));
  }
  return { w, intercept: new Float64Array(k) };
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
