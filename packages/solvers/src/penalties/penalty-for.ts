import { SpredInputError } from '@spredjs/core/errors';
import { elasticNetPenalty } from './elastic-net.js';
import { groupL1Penalty } from './group-l1.js';
import { l1Penalty } from './l1.js';
import { l2nPenalty } from './l2n.js';
import type { Penalty } from './penalty.js';

/** The penalties by name: what estimators, paths and the command line choose from. */
export type PenaltyName = 'l1' | 'elasticnet' | 'group' | 'rows';

/** Everything a named penalty may take. */
export interface PenaltySpec {
  readonly alpha: number;
  /** Elastic net: ρ in α(ρ‖w‖₁ + (1−ρ)/2‖w‖²). Default 0.5. */
  readonly l1Ratio?: number;
  /** Group lasso: the group id of every feature. */
  readonly groups?: ArrayLike<number>;
  /** Group lasso: ω_g > 0 (default √|g|). */
  readonly groupWeights?: ArrayLike<number>;
  /** L1: per-feature weights ω_j > 0. */
  readonly weights?: ArrayLike<number>;
  /** L1: N ≥ 3 gives the L_{2/N} quasi-norm. Default 2. */
  readonly depth?: number;
}

/**
 * The one place a penalty is chosen by name, for d features: `'l1'` (weighted, or L_{2/N} with
 * `depth`), `'elasticnet'`, `'group'` and `'rows'` (the L2,1 norm over the rows of W: the
 * multi-task lasso, or one feature for all classes).
 *
 * @example
 * ```ts
 * penaltyFor('group', 6, { alpha: 0.1, groups: [0, 0, 0, 1, 1, 2] });
 * ```
 */
export function penaltyFor(name: PenaltyName, d: number, spec: PenaltySpec): Penalty {
  switch (name) {
    case 'l1': {
      const depth = spec.depth ?? 2;
      if (depth === 2) return l1Penalty(spec.alpha, spec.weights);
      if (spec.weights !== undefined)
        throw new SpredInputError('weights are for the L1 penalty (depth 2), not L_{2/N}');
      return l2nPenalty(spec.alpha, depth);
    }
    case 'elasticnet':
      return elasticNetPenalty(spec.alpha, spec.l1Ratio ?? 0.5);
    case 'rows':
      return groupL1Penalty(
        spec.alpha,
        Int32Array.from({ length: d }, (_, j) => j),
        new Float64Array(d).fill(1),
      );
    case 'group':
      if (spec.groups === undefined)
        throw new SpredInputError("penalty 'group' needs groups (one group id per feature)");
      return groupL1Penalty(spec.alpha, spec.groups, spec.groupWeights);
    default:
      throw new SpredInputError(
        `unknown penalty '${String(name)}': expected l1, elasticnet, group or rows`,
      );
  }
}
