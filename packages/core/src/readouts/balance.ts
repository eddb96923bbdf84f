import type { Reparametrization } from '../reparam/reparametrization.js';

/**
 * max over groups of the spread between the κ-weighted factor magnitudes: max_i ||U_i| − |W_i||
 * for plain L1, max_g |u_g − ‖W_g‖| for groups. Every minimum of a spred objective has balance
 * error 0, so a large value means training has not converged (or a factor was set by hand).
 *
 * @example
 * ```ts
 * expect(balanceError(coef)).toBeLessThan(1e-4);
 * ```
 */
export function balanceError(parameter: Reparametrization): number {
  return parameter.balanceError();
}
