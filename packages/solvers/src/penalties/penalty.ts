import type * as tf from '@tensorflow/tfjs-core';
import type { Reparametrization } from '@spred/core';

/** The spred form of a penalty on the coefficients of some features: a parametrization, plus any smooth extra term. */
export interface SpredPenalty {
  readonly param: Reparametrization;
  /** A smooth term on V added to the loss (the L2 part of the elastic net). */
  readonly extra?: (v: tf.Tensor) => tf.Scalar;
}

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
  /** The spred parametrization of the coefficients of `features` (in that order), shape [features.length, k]. */
  spred(features: readonly number[], k: number): SpredPenalty;
}
