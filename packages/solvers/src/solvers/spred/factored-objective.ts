import type { Evaluation } from '@spredjs/optim/lbfgs';
import { multiplyTransposed } from '../../data/linear-algebra.js';
import type { Factorization } from '../../penalties/penalty.js';
import { predictions, type Coefficients, type SparseProblem } from '../problem.js';

/**
 * The smooth spred objective of a convex sparse problem in float64: the coefficients V are
 * products of factors (V = U ⊙ W, or V_g = s_g·W_g for groups) and the penalty is the factors'
 * weighted squared norm, F(XV + b) + (ridge/2)‖V‖² + Σ κ(U² + W²). Its local minima are the
 * L1 / group-L1 problem's minima, with |U| = |W| (|s_g| = ‖W_g‖) at each.
 *
 * Variables, in order: the scale factors (U, m of them; or s, one per group), then W (m), then
 * the intercept (k, when the problem fits one), with m = d·k.
 */
export interface FactoredObjective {
  readonly size: number;
  evaluate(x: Float64Array): Evaluation;
  /** V from the factors. */
  coefficients(x: Float64Array): Coefficients;
  /**
   * Factors for a start V: balanced where V ≠ 0 (the penalty equals the L1 value there). A zero
   * that violates optimality (|∂F/∂V| > 2κ) starts small and balanced along its descent
   * direction; the other zeros at U = W = 0, the stationary point that is their optimum (the
   * exact finish and the working sets bring them in if that changes). Depth ≥ 3: every zero
   * starts off the saddle (unit scales, W = 0).
   */
  factors(start: Coefficients): Float64Array;
}

/** Builds the {@link FactoredObjective} of `problem` (a penalty with a factorization). */
export function factoredObjective(problem: SparseProblem): FactoredObjective {
  const { x, y, k, datafit, penalty, fitIntercept } = problem;
  const n = x.rows;
  const d = x.cols;
  const m = d * k;
  const form: Factorization = penalty.factorization(d, k);
  // Scale blocks before W: N − 1 blocks of m for depth N, one value per group when grouped.
  const blocks = form.kind === 'elementwise' ? (form.depth ?? 2) - 1 : 1;
  const blockSize = form.kind === 'elementwise' ? m : form.count;
  const scales = blocks * blockSize;
  const size = scales + m + (fitIntercept ? k : 0);
  const ridge = penalty.ridge;
  const groupOf = form.kind === 'grouped' ? form.groupOf : undefined;
  const scaleOf = (e: number) => (groupOf === undefined ? e : (groupOf[e] as number));
  const kappa = form.kappa;

  /** Π of the scale factors of element e, leaving out block `skip` (−1: none). */
  const scaleProduct = (xs: Float64Array, e: number, skip: number) => {
    const q = scaleOf(e);
    let p = 1;
    for (let b = 0; b < blocks; b++) if (b !== skip) p *= xs[b * blockSize + q] as number;
    return p;
  };
  const coefficientsOf = (xs: Float64Array) => {
    const v = new Float64Array(m);
    for (let e = 0; e < m; e++) v[e] = scaleProduct(xs, e, -1) * (xs[scales + e] as number);
    return v;
  };

  return {
    size,
    evaluate(xs) {
      const v = coefficientsOf(xs);
      const z = predictions(problem, { w: v, intercept: xs.subarray(scales + m, scales + m + k) });
      let value = datafit.value(z, y, n, k);
      const theta = datafit.negativeSampleGradient(z, y, n, k);
      const g = multiplyTransposed(x, theta, k); // −n ∂F/∂V
      const gradient = new Float64Array(size);
      // Penalty on the scales: κ of the element (elementwise) or of the group.
      for (let b = 0; b < blocks; b++)
        for (let q = 0; q < blockSize; q++) {
          const sq = xs[b * blockSize + q] as number;
          const kq = kappa[q] as number;
          value += kq * sq * sq;
          gradient[b * blockSize + q] = 2 * kq * sq;
        }
      for (let e = 0; e < m; e++) {
        const q = scaleOf(e);
        const we = xs[scales + e] as number;
        const ve = v[e] as number;
        const kq = kappa[q] as number;
        const gv = -(g[e] as number) / n + ridge * ve;
        value += kq * we * we + 0.5 * ridge * ve * ve;
        if (gv === 0) {
          gradient[scales + e] = 2 * kq * we;
          continue;
        }
        for (let b = 0; b < blocks; b++)
          gradient[b * blockSize + q] =
            (gradient[b * blockSize + q] as number) + gv * we * scaleProduct(xs, e, b);
        gradient[scales + e] = gv * scaleProduct(xs, e, -1) + 2 * kq * we;
      }
      if (fitIntercept)
        for (let c = 0; c < k; c++) {
          let t = 0;
          for (let i = 0; i < n; i++) t += theta[c * n + i] as number;
          gradient[scales + m + c] = -t / n;
        }
      return { value, gradient };
    },
    coefficients(xs) {
      const intercept = fitIntercept
        ? Float64Array.from(xs.subarray(scales + m, scales + m + k))
        : new Float64Array(k);
      return { w: coefficientsOf(xs), intercept };
    },
    factors(start) {
      const xs = new Float64Array(size);
      const v = start.w;
      let largest = 0;
      for (let e = 0; e < m; e++) largest = Math.max(largest, Math.abs(v[e] as number));
      const depth = blocks + 1;
      // Zeros that violate optimality at the start enter along their descent direction, at a
      // small magnitude; the others stay at U = W = 0, a stationary point that is their optimum.
      const small = 1e-3 * (largest > 0 ? largest : 1);
      const z = predictions(problem, start);
      const g = multiplyTransposed(x, datafit.negativeSampleGradient(z, y, n, k), k);
      const descent = Float64Array.from(g, (ge, e) => ge / n - ridge * (v[e] as number));
      if (groupOf === undefined) {
        for (let e = 0; e < m; e++) {
          const ve = v[e] as number;
          const de = descent[e] as number;
          const violates = ve === 0 && (depth > 2 || Math.abs(de) > 2 * (kappa[e] as number));
          const target = ve !== 0 ? ve : violates ? (depth > 2 ? small : Math.sign(de) * small) : 0;
          const r = Math.abs(target) ** (1 / depth);
          for (let b = 0; b < blocks; b++) xs[b * blockSize + e] = b === 0 && target < 0 ? -r : r;
          xs[scales + e] = depth > 2 && ve === 0 ? 0 : r;
        }
      } else {
        const norms = new Float64Array(blockSize);
        const pulls = new Float64Array(blockSize);
        for (let e = 0; e < m; e++) {
          const q = groupOf[e] as number;
          norms[q] = (norms[q] as number) + (v[e] as number) ** 2;
          pulls[q] = (pulls[q] as number) + (descent[e] as number) ** 2;
        }
        for (let q = 0; q < blockSize; q++) {
          norms[q] = Math.sqrt(norms[q] as number);
          pulls[q] = Math.sqrt(pulls[q] as number);
          const enters = norms[q] === 0 && (pulls[q] as number) > 2 * (kappa[q] as number);
          xs[q] = norms[q]! > 0 ? Math.sqrt(norms[q] as number) : enters ? Math.sqrt(small) : 0;
        }
        for (let e = 0; e < m; e++) {
          const q = groupOf[e] as number;
          const scale = xs[q] as number;
          xs[scales + e] =
            (norms[q] as number) > 0
              ? (v[e] as number) / scale
              : scale > 0
                ? (((descent[e] as number) / (pulls[q] as number)) * small) / scale
                : 0;
        }
      }
      if (fitIntercept) xs.set(start.intercept, scales + m);
      return xs;
    },
  };
}
