/**
 * The float64 spred form of a penalty on d features × k outputs: which smooth factors stand for
 * the coefficients. `elementwise`: V_e = U_e·W_e with κ_e(U_e² + W_e²) = 2κ_e|V_e|. `grouped`:
 * V_e = s_g·W_e (g = groupOf[e]) with κ_g(s_g² + Σ_{e∈g} W_e²) = 2κ_g‖V_g‖₂. Elements are
 * indexed e = j·k + c, as W.
 */
export type Factorization =
  | {
      readonly kind: 'elementwise';
      readonly kappa: Float64Array;
      /** Factors per element (V = U₁ ⊙ … ⊙ U_{N−1} ⊙ W, κ Σ U_i²: the L_{2/N} quasi-norm). Default 2. */
      readonly depth?: number;
    }
  | {
      readonly kind: 'grouped';
      readonly groupOf: Int32Array;
      readonly count: number;
      readonly kappa: Float64Array;
    };

/**
 * A penalty Ω(W) on the d × k coefficient matrix W (row-major: W[j·k + c], one row per feature).
 * Its *units* are the sets of features that enter and leave the model together (a feature for
 * L1, a group for the group lasso): working sets and supports are made of units.
 */
export interface Penalty {
  readonly name: string;
  readonly alpha: number;
  /** Convex penalties have a duality gap and a prox; L_{2/N} does not. */
  readonly convex: boolean;
  /** Unit id of every feature, and the number of units. */
  units(d: number): { readonly unitOf: Int32Array; readonly count: number };
  /** The threshold level of every unit: αω_j (L1), αρ (elastic net), αω_g (groups). */
  unitLevels(d: number): Float64Array;
  /** Coefficients constrained to be ≥ 0 (the non-negative lasso); absent or false otherwise. */
  readonly positive?: boolean;
  /** The ridge part α(1 − ρ) of an elastic net; 0 for other penalties. */
  readonly ridge: number;
  value(w: Float64Array, d: number, k: number): number;
  /** argmin_W ½‖W − V‖² + step·Ω(W) (convex penalties). */
  prox?(v: Float64Array, step: number, d: number, k: number): Float64Array;
  /**
   * For the duality gap, given G = XᵀΘ: the scale s ≤ 1 that makes sΘ dual-feasible (s·Ω°(G) ≤ n),
   * and the conjugate term Ω*(sG/n) subtracted from the dual objective (0 for norms).
   */
  dual(
    g: Float64Array,
    n: number,
    d: number,
    k: number,
  ): { readonly scale: number; readonly conjugate: number };
  /**
   * Per unit, how strongly it violates optimality while its coefficients are zero: the dual norm
   * of the unit's block of −∇F = XᵀΘ/n over the penalty level. Above 1 the unit belongs in the model.
   */
  kktRatio(negativeGradient: Float64Array, d: number, k: number): Float64Array;
  /** The same penalty on the features `features` only (in that order): a working set's sub-problem. */
  restrict(features: readonly number[]): Penalty;
  /** The float64 spred factors for d features and k outputs. */
  factorization(d: number, k: number): Factorization;
}
