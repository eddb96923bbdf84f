import { groupViolations, l1Value } from './l1-groups.js';
import type { L1Layout } from './l1-layout.js';

/** The stationarity figures of one L1 term (one spred parameter or layer). */
export interface TermStationarity {
  readonly name: string;
  /** Groups of the term (entries, for plain L1). */
  readonly groups: number;
  /** Groups exactly zero. */
  readonly zeros: number;
  /** Zero groups whose zero is certified: ‖∂L/∂V_g‖ ≤ 2κ_g (1 + tol). */
  readonly certifiedZeros: number;
  /** Groups whose first-order condition holds within tol, zero or not. */
  readonly certified: number;
  /** The largest violation over the term's groups, relative to 2κ_g. */
  readonly maxViolation: number;
}

/**
 * A first-order certificate for L(θ) + Σ_g 2κ_g‖V_g‖₂, on all the data. A group at zero is
 * optimal when ‖∂L/∂V_g‖ ≤ 2κ_g; a nonzero group when ∂L/∂V_g + 2κ_g·V_g/‖V_g‖ = 0; every other
 * variable when its gradient is zero. Violations are relative to 2κ_g (to 2κ_min for the free
 * variables), so `maxViolation ≤ 1e-3` reads "the gradient balances the penalty to 0.1%". For a
 * convex model a certified point is the L1 answer; for a network, a stationary point of it.
 */
export interface StationarityCertificate {
  /** The tolerance the counts and `certified` use. */
  readonly tol: number;
  /** maxViolation ≤ tol and freeGradient ≤ tol. */
  readonly certified: boolean;
  /** The largest violation over every group, relative to its 2κ_g. */
  readonly maxViolation: number;
  /** The largest |∂L/∂θ_i| over the variables without an L1 term, relative to the smallest 2κ. */
  readonly freeGradient: number;
  readonly groups: number;
  readonly zeros: number;
  readonly certifiedZeros: number;
  /** Share (0…1) of groups whose condition holds within tol. */
  readonly certifiedShare: number;
  /** L, the smooth part, at the point. */
  readonly loss: number;
  /** L + Σ_g 2κ_g‖V_g‖₂. */
  readonly objective: number;
  /** The same figures per term (per layer or parameter). */
  readonly terms: readonly TermStationarity[];
}

/**
 * The certificate at the flat point `x` (the layout's order) with L's value `loss` and gradient
 * `gradient` there.
 */
export function certificateAt(
  layout: L1Layout,
  x: Float64Array,
  loss: number,
  gradient: Float64Array,
  tol: number,
): StationarityCertificate {
  const { group, free, zero } = groupViolations(layout, x, gradient);
  const terms = layout.terms.map((term, t): TermStationarity => {
    const first = layout.firstGroup[t] as number;
    let groups = 0;
    let zeros = 0;
    let certifiedZeros = 0;
    let certified = 0;
    let maxViolation = 0;
    for (let g = first; g < first + term.kappa.length; g++) {
      if ((layout.groupSize[g] as number) === 0) continue;
      const violation = group[g] as number;
      groups++;
      if (violation <= tol) certified++;
      if (zero[g] === 1) {
        zeros++;
        if (violation <= tol) certifiedZeros++;
      }
      maxViolation = Math.max(maxViolation, violation);
    }
    return { name: term.name, groups, zeros, certifiedZeros, certified, maxViolation };
  });
  const sum = (key: 'groups' | 'zeros' | 'certifiedZeros' | 'certified') =>
    terms.reduce((n, t) => n + t[key], 0);
  const maxViolation = terms.reduce((m, t) => Math.max(m, t.maxViolation), 0);
  const groups = sum('groups');
  return {
    tol,
    certified: maxViolation <= tol && free <= tol,
    maxViolation,
    freeGradient: free,
    groups,
    zeros: sum('zeros'),
    certifiedZeros: sum('certifiedZeros'),
    certifiedShare: groups === 0 ? 1 : sum('certified') / groups,
    loss,
    objective: loss + l1Value(layout, x),
    terms,
  };
}
