import type * as tf from '@tensorflow/tfjs-core';

/** How a gene network reads its input genes. */
export type InputLayer =
  /** One shared spred mask U: V_i = u_i · W_i over every first-layer row, penalty κ(‖U‖² + ‖W‖²) (group lasso on genes). */
  | 'spred'
  /** Plain dense first layer (weight decay like the other layers). */
  | 'dense'
  /** Dense first layer with the naive L1 penalty λ‖W‖₁, trained by subgradient. */
  | 'l1';

/**
 * The first layer of a gene network: V [genes held, width], one row per gene, read by every head.
 * The network talks to it only through this interface, whichever kind it is (spred mask, dense,
 * naive L1). Tensors it returns belong to the caller.
 *
 * @example
 * ```ts
 * const layer = spredMaskInput({ genes: 2000, width: 66, kappa: 0.3, seed: 0, name: 'net/mask' });
 * const z = tf.matMul(x, layer.value()); // [n, width]
 * const loss = tf.add(dataLoss(z), layer.penalty());
 * ```
 */
export interface GeneInputLayer {
  readonly kind: InputLayer;
  /** [genes held, width]. */
  readonly shape: readonly [number, number];
  /** What the optimizer trains: the spred factors [U, W], or the dense kernel. */
  readonly variables: readonly tf.Variable[];
  /** The threshold of {@link collapse} once called (rows at most it read as exact zeros). */
  readonly collapsedAt: number | undefined;
  /** V, differentiable in the variables (with exact-zero rows once collapsed). */
  value(): tf.Tensor2D;
  /** The first layer's penalty: κ(‖U‖² + ‖W‖²) for spred, λ‖W‖₁ for naive L1, 0 for dense. */
  penalty(): tf.Scalar;
  /** ‖V_i‖ of every held gene's row (the group norms the penalty acts on). */
  groupNorms(): tf.Tensor1D;
  /** How much each held gene is used: |u_i| for the spred mask (the paper's ranking), else ‖V_i‖. */
  geneWeights(): tf.Tensor1D;
  /** From now on, rows of norm at most `threshold` are exact zeros (spred's final threshold). */
  collapse(threshold: number): void;
  /**
   * The same layer on another working set of genes (spred only): held genes keep their factors, a
   * gene new to the set starts at the balanced factorization of its row in `entering`
   * ([to.length, width]), or at 0 without it. This layer stays as it is.
   */
  readonly withGenes?: (
    from: Int32Array,
    to: Int32Array,
    entering: tf.Tensor2D | undefined,
    name: string,
  ) => GeneInputLayer;
  dispose(): void;
}
