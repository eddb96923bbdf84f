import { SparseLogisticRegression, type DesignMatrix } from '@spredjs/solvers';
import { logisticDatafit } from '../problems/datafit.js';
import { correlations, dualityGap } from '../problems/duality-gap.js';
import { REFERENCE_GAP, type ReferenceAnswer } from './reference-answer.js';
import { solveOnSupport } from './support-solve.js';

/**
 * α_max of L1 logistic regression without intercept, (1/n) Σ log(1 + exp(−s_i x_iᵀw)) + α‖w‖₁
 * with s_i = 2y_i − 1: the gradient at w = 0 is −Xᵀ(s/2)/n, so w = 0 is optimal exactly when
 * α ≥ ‖Xᵀ(y − 1/2)‖∞ / n.
 *
 * @example
 * ```ts
 * const alpha = 0.1 * logisticAlphaMax(x, labels); // labels 0/1
 * ```
 */
export function logisticAlphaMax(x: DesignMatrix, labels: Float64Array): number {
  const half = Float64Array.from(labels, (v) => (v > 0.5 ? 0.5 : -0.5));
  let largest = 0;
  for (const c of correlations(x, half)) largest = Math.max(largest, Math.abs(c));
  return largest / x.rows;
}

/**
 * The float64 solution of L1 logistic regression without intercept (labels 0/1, objective
 * (1/n) Σ log(1 + exp(−s_i x_iᵀw)) + α‖w‖₁) that a case scores every solver against, computed by
 * the bench alone: feature-sign search from w = 0 with Newton solves on each support
 * ({@link solveOnSupport}; seconds on ALL, where FISTA to 1e-10 takes minutes), certified by its
 * own duality gap (≤ 1e-13·P(0)). Should that fail, our FISTA (tol 1e-8) gives the start instead.
 *
 * @example
 * ```ts
 * const ref = logisticReference(x, labels, alpha);
 * ref.certificate.primal; // the objective every answer is compared with
 * ```
 */
export function logisticReference(
  x: DesignMatrix,
  labels: Float64Array,
  alpha: number,
): ReferenceAnswer {
  const start = performance.now();
  const datafit = logisticDatafit(labels);
  const objectiveAtZero = datafit.value(new Float64Array(x.rows));
  const answer = (coef: Float64Array, method: string): ReferenceAnswer => {
    const certificate = dualityGap(x, datafit, coef, alpha);
    return {
      coef,
      certificate,
      objectiveAtZero,
      certified: certificate.gap <= REFERENCE_GAP * objectiveAtZero,
      method,
      seconds: (performance.now() - start) / 1000,
    };
  };
  const fromZero = solveOnSupport(x, datafit, alpha, new Float64Array(x.cols));
  const search = answer(
    fromZero.coef,
    `feature-sign search + Newton (${fromZero.rounds} support changes)`,
  );
  if (search.certified) return search;
  const fista = new SparseLogisticRegression({
    alpha,
    solver: 'fista',
    tol: 1e-8,
    fitIntercept: false,
  }).fit(x, Array.from(labels));
  const initial = Float64Array.from(fista.coefMatrix, (row) => row[0] as number);
  const polished = solveOnSupport(x, datafit, alpha, initial);
  const candidates = [
    search,
    answer(initial, 'fista tol 1e-8'),
    answer(
      polished.coef,
      `fista tol 1e-8 + Newton on the support (${polished.rounds} support changes)`,
    ),
  ];
  return candidates.reduce((a, b) => (b.certificate.gap < a.certificate.gap ? b : a));
}
