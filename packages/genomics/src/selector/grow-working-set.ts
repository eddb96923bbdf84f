import { OPTIMALITY_SLACK } from './optimality-check.js';

/** The fewest violators of the optimality condition let into the working set at once. */
export const GROW_AT_LEAST = 10;

/**
 * The genes that enter a working set (celer's and skglm's growth rule): of the genes not in
 * `exclude` whose gradient violates the group lasso's optimality condition (‖∂L/∂V_i‖ > 2κ, with
 * Adam's slack {@link OPTIMALITY_SLACK}), the `room` worst, ascending. `gradientNorms[i]` is
 * ‖∂L/∂V_i‖ of gene i.
 *
 * @example
 * ```ts
 * const entering = worstViolators(norms, 2 * kappa, held, Math.max(GROW_AT_LEAST, held.length));
 * ```
 */
export function worstViolators(
  gradientNorms: Float64Array,
  twoKappa: number,
  exclude: Iterable<number>,
  room: number,
): Int32Array {
  const skip = new Set(exclude);
  const order = Array.from(gradientNorms.keys())
    .filter((g) => !skip.has(g) && (gradientNorms[g] as number) > twoKappa * OPTIMALITY_SLACK)
    .sort((a, b) => (gradientNorms[b] as number) - (gradientNorms[a] as number) || a - b);
  return Int32Array.from(order.slice(0, room)).sort();
}

/** The gene of largest gradient norm (ties: the lower index). */
export function largestGradient(gradientNorms: Float64Array): number {
  let best = 0;
  gradientNorms.forEach((v, g) => {
    if (v > (gradientNorms[best] as number)) best = g;
  });
  return best;
}
