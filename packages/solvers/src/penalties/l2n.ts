import { SpredInputError } from '@spredjs/core/errors';
import { checkAlpha } from './check-alpha.js';
import type { Penalty } from './penalty.js';

/**
 * The L_{2/N} quasi-norm α Σ |W|^{2/N} (N ≥ 3; N = 2 is the lasso): sparser than L1 and
 * nonconvex, so it has no duality gap and only spred solves it, as V = U₁ ⊙ … ⊙ U_N with
 * κ = α/N (N κ |v|^{2/N} = α|v|^{2/N}).
 */
export function l2nPenalty(alpha: number, depth: number): Penalty {
  if (!Number.isInteger(depth) || depth < 2)
    throw new SpredInputError(`depth must be an integer ≥ 2, got ${String(depth)}`);
  checkAlpha(alpha);
  return {
    name: `l2/${depth}`,
    alpha,
    convex: depth === 2,
    units: (d) => ({ unitOf: Int32Array.from({ length: d }, (_, j) => j), count: d }),
    unitLevels: (d) => new Float64Array(d).fill(alpha),
    ridge: 0,
    value(w) {
      let s = 0;
      for (const x of w) s += Math.abs(x) ** (2 / depth);
      return alpha * s;
    },
    dual: () => ({ scale: NaN, conjugate: NaN }),
    kktRatio(grad, d) {
      return new Float64Array(d).fill(Infinity);
    },
    restrict: () => l2nPenalty(alpha, depth),
    factorization: (d, k) => ({
      kind: 'elementwise',
      kappa: new Float64Array(d * k).fill(alpha / depth),
      depth,
    }),
  };
}
