import type * as tf from '@tensorflow/tfjs-core';
import type { KappaLike } from './penalty-weights.js';

/**
 * How factors start when no `initialValue` is given. Under gradient flow the imbalance
 * u² − w² of every entry decays like e^{−4κt} and V = U ⊙ W can only change sign while it is
 * nonzero: a balanced start keeps the sign of every entry of V₀ forever. `kaiming-unit` starts
 * far from balance, so signs are free to move early on; use `balanced-sqrt` (or `initialValue`)
 * when V₀ already has the right signs, e.g. to sparsify a pretrained weight.
 */
export type InitScheme =
  /** The paper's default: W ~ Kaiming normal (std gain/√fanIn), every scale factor ~ N(0, 1). */
  | 'kaiming-unit'
  /** V₀ ~ Kaiming normal, then the balanced factorization of V₀ (each factor ≈ √ of a standard init). */
  | 'balanced-sqrt';

/** Options shared by {@link hadamard} and {@link grouped}. */
export interface ReparamOptions {
  /**
   * Penalty strength κ: the smooth penalty κ(‖U‖² + ‖W‖²) stands for 2κ‖V‖₁ (2κ Σ_g ‖V_g‖₂ for
   * groups). One number, or one positive value per group (per element for `hadamard`: a weighted
   * lasso). Give either `kappa`, or `alpha` and `beta`.
   */
  readonly kappa?: KappaLike;
  /** Weight of ‖U‖² for the unequal penalty α‖U‖² + β‖W‖², equivalent to κ = √(αβ). Depth 2 only. */
  readonly alpha?: KappaLike;
  /** Weight of ‖W‖² for the unequal penalty α‖U‖² + β‖W‖². Depth 2 only. */
  readonly beta?: KappaLike;
  /** Number of factors N ≥ 2; the penalty stands for N κ Σ |V|^{2/N} (N = 2: L1). Default 2. */
  readonly depth?: number;
  /** Default `'kaiming-unit'`. */
  readonly init?: InitScheme;
  /**
   * Start from this V instead (balanced factorization); wins over `init`. Its finiteness check
   * reads synchronously: where that throws (WebGPU in Node), build without it and
   * `await assignAsync(V)`.
   */
  readonly initialValue?: tf.Tensor | ArrayLike<number>;
  /** Kaiming gain; default √2 (ReLU). */
  readonly gain?: number;
  /** Fan-in used by the Kaiming init; default from the shape (rows of `[in, out]`, kh·kw·in of conv kernels). */
  readonly fanIn?: number;
  /** Seed of every random draw; default 0. Factor k uses `seed + k`. */
  readonly seed?: number;
  /** Prefix of the variable names (`name/u`, `name/w`); tfjs names must be unique. */
  readonly name?: string;
  /** Default true. */
  readonly trainable?: boolean;
}
