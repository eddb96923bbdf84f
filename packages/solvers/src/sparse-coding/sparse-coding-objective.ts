import * as tf from '@tensorflow/tfjs-core';

/**
 * ‖x_i − B s_i‖² of every patch: the squared reconstruction error of patches X (n × d, one per
 * row) from codes S (n × k) and a dictionary B (d × k, one atom per column).
 *
 * @example
 * ```ts
 * const energies = residualEnergy(patches, codes, dictionary); // [n]
 * ```
 */
export function residualEnergy(x: tf.Tensor, codes: tf.Tensor, dictionary: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(x, tf.matMul(codes, dictionary, false, true))), 1));
}

/**
 * The sparse-coding objective Σ_i ½‖x_i − B s_i‖² + penalty, summed over the patches: the lasso of
 * every patch when `penalty` is α‖S‖₁, and spred's smooth surrogate when it is the codes'
 * `penalty()` ((α/2)(‖U‖² + ‖W‖²) for S = U ⊙ W). Differentiable in codes, dictionary and penalty.
 *
 * @example
 * ```ts
 * const loss = sparseCodingObjective(patches, codes.value(), dictionary, codes.penalty());
 * ```
 */
export function sparseCodingObjective(
  x: tf.Tensor,
  codes: tf.Tensor,
  dictionary: tf.Tensor,
  penalty: tf.Scalar,
): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mul(0.5, tf.sum(residualEnergy(x, codes, dictionary))), penalty));
}

/**
 * {@link sparseCodingObjective} through the Gram matrix, for codes trained with the dictionary
 * fixed: Σ_i ½‖x_i − B s_i‖² = ½‖X‖² − ⟨S, XB⟩ + ½⟨S, S BᵀB⟩. With `gram` = BᵀB (k × k),
 * `correlations` = XB (n × k) and `energy` = ‖X‖² (a scalar) computed once, a step's value and
 * gradient cost two n × k × k products instead of two n × d × k ones: cheaper whenever k < d
 * (no gain at k = d). The same value and gradient in the codes.
 *
 * @example
 * ```ts
 * const gram = tf.matMul(B, B, true, false), c = tf.matMul(X, B), energy = tf.sum(tf.square(X));
 * const loss = gramSparseCodingObjective(gram, c, energy, codes.value(), codes.penalty());
 * ```
 */
export function gramSparseCodingObjective(
  gram: tf.Tensor2D,
  correlations: tf.Tensor2D,
  energy: tf.Scalar,
  codes: tf.Tensor,
  penalty: tf.Scalar,
): tf.Scalar {
  return tf.tidy(() =>
    tf.add(
      tf.add(
        tf.sub(
          tf.mul(0.5, tf.sum(tf.mul(codes, tf.matMul(codes, gram)))),
          tf.sum(tf.mul(codes, correlations)),
        ),
        tf.mul(0.5, energy),
      ),
      penalty,
    ),
  );
}
