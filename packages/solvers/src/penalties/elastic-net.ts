import { SpredInputError } from '@spredjs/core/errors';
import { checkAlpha } from './check-alpha.js';
import { l1Penalty, softThreshold } from './l1.js';
import type { Penalty } from './penalty.js';

/**
 * The elastic net α(ρ‖W‖₁ + (1−ρ)/2 ‖W‖²) (scikit-learn's `l1_ratio` ρ). ρ = 1 is the lasso. Its
 * dual has no feasibility constraint: the conjugate Σ (|G/n| − αρ)₊² / (2α(1−ρ)) enters the gap.
 */
export function elasticNetPenalty(alpha: number, l1Ratio: number): Penalty {
  if (!(l1Ratio >= 0 && l1Ratio <= 1))
    throw new SpredInputError(`l1Ratio must be in [0, 1], got ${String(l1Ratio)}`);
  if (l1Ratio === 1) {
    const lasso = l1Penalty(alpha);
    return { ...lasso, name: 'elasticnet', restrict: () => elasticNetPenalty(alpha, 1) };
  }
  if (l1Ratio === 0)
    throw new SpredInputError(
      'l1Ratio = 0 is ridge regression, which has no sparsity; use l1Ratio > 0',
    );
  checkAlpha(alpha);
  const l1 = alpha * l1Ratio;
  const l2 = alpha * (1 - l1Ratio);
  return {
    name: 'elasticnet',
    alpha,
    convex: true,
    units: (d) => ({ unitOf: Int32Array.from({ length: d }, (_, j) => j), count: d }),
    unitLevels: (d) => new Float64Array(d).fill(l1),
    ridge: l2,
    value(w) {
      let a = 0;
      let b = 0;
      for (const x of w) {
        a += Math.abs(x);
        b += x * x;
      }
      return l1 * a + 0.5 * l2 * b;
    },
    prox(v, step) {
      return Float64Array.from(v, (x) => softThreshold(x, step * l1) / (1 + step * l2));
    },
    dual(g, n) {
      let conjugate = 0;
      for (const x of g) conjugate += Math.max(Math.abs(x) / n - l1, 0) ** 2;
      return { scale: 1, conjugate: conjugate / (2 * l2) };
    },
    kktRatio(grad, d, k) {
      return Float64Array.from({ length: d }, (_, j) => {
        let m = 0;
        for (let c = 0; c < k; c++) m = Math.max(m, Math.abs(grad[j * k + c] as number));
        return m / l1;
      });
    },
    restrict: () => elasticNetPenalty(alpha, l1Ratio),
    factorization: (d, k) => ({ kind: 'elementwise', kappa: new Float64Array(d * k).fill(l1 / 2) }),
  };
}
