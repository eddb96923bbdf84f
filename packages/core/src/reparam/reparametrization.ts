import type * as tf from '@tensorflow/tfjs-core';
import type { L1Term } from '../stationarity/l1-term.js';

/**
 * One sparse parameter V, stored as trainable factors whose smooth L2 penalty stands for an L1
 * (or group-L1, or L_{2/N}) penalty on V. Every local minimum of `loss(value()) + penalty()` is a
 * local minimum of `loss(V) + equivalentPenalty(V)` and vice versa, and at every minimum the
 * factors are balanced (`balanceError` is 0).
 *
 * Tensors returned by `value`, `penalty`, `equivalentPenalty`, `groupNorms` and `collapse` belong
 * to the caller (use them inside `tf.tidy` or dispose them).
 */
export interface Reparametrization {
  /** `hadamard`: one group per element (L1); `grouped`: groups along axes or explicit indices. */
  readonly kind: 'hadamard' | 'grouped';
  /** Shape of V. */
  readonly shape: readonly number[];
  /** Number of factors N: V = U₁ ⊙ … ⊙ U_{N−1} ⊙ W. 2 gives L1; N > 2 the L_{2/N} quasi-norm. */
  readonly depth: number;
  /** Shape of one value per group (V's shape for `hadamard`). */
  readonly groupShape: readonly number[];
  readonly numGroups: number;
  /** The trainable factors, scales first and W last. */
  readonly variables: readonly tf.Variable[];
  /** V, differentiable in the factors. */
  value(): tf.Tensor;
  /** The smooth penalty Σ_k λ_k ‖U_k‖² (κ(‖U‖² + ‖W‖²) for plain L1). */
  penalty(): tf.Scalar;
  /** The penalty on V this stands for: Σ_g N κ_g ‖V_g‖^{2/N} (2κ‖V‖₁ for plain L1). */
  equivalentPenalty(): tf.Scalar;
  /** ‖V_g‖ for every group (|V| for `hadamard`), in group shape. */
  groupNorms(): tf.Tensor;
  /** Moves the factors to the balanced point for the current V: same V, never a larger penalty. */
  rebalance(): void;
  /**
   * Sets the factors so that `value()` is `v` (the right inverse of `value`). `'balanced'`
   * (default): the factorization with the least penalty, |U| = |W| (keeps every entry's sign under
   * gradient flow). `'unit-scales'`: every scale factor 1 and W = V — a warm start from which
   * entries can still change sign, and from which zero entries are not stuck at the saddle 0.
   */
  assign(
    v: tf.Tensor | ArrayLike<number>,
    options?: { factorization?: 'balanced' | 'unit-scales' },
  ): void;
  /**
   * {@link Reparametrization.assign} with its one read (the check that `v` has no NaN or Infinity)
   * through `await data()`, for backends whose synchronous reads throw (WebGPU in Node).
   *
   * @example
   * ```ts
   * const p = hadamard(kernel.shape, { kappa: 1e-3 });
   * await p.assignAsync(kernel); // U = sign(V)·√|V|, W = √|V|
   * ```
   */
  assignAsync(
    v: tf.Tensor | ArrayLike<number>,
    options?: { factorization?: 'balanced' | 'unit-scales' },
  ): Promise<void>;
  /**
   * Moves the factors to value space, every scale 1 and W = V (the same V), and returns the L1
   * term 2κ_g‖V_g‖ that W then holds, so that ∂L/∂W is ∂L/∂V even where V is zero. The
   * certificate and `polish` work there; `rebalance()` (or `assignAsync(value())`) returns to the
   * balanced factorization. Depth 2 only (L1 and group L1).
   *
   * @example
   * ```ts
   * const term = await coef.valueSpace(); // term.variables[0] holds V
   * ```
   */
  valueSpace(): Promise<L1Term>;
  /** V with exact zeros for every group whose norm is at most `threshold`. */
  collapse(options: { threshold: number }): tf.Tensor;
  /** Largest imbalance between the (κ-weighted) factor magnitudes of one group; 0 at every minimum. */
  balanceError(): number;
  /** Releases the factors and every tensor this parametrization owns. */
  dispose(): void;
}
