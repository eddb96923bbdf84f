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
 * `correlations` = XB (n × k) and `energy` = ‖X‖² (a scalar) computed once, a step costs one
 * n × k × k product, S·BᵀB, shared by the value and its gradient in the codes, S·BᵀB − XB (a
 * custom gradient: automatic differentiation would take a second product). Differentiable in the
 * codes and the penalty only (the dictionary is fixed).
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
  const dataTerm = tf.customGrad<tf.Scalar>((...inputs) => {
    const s = inputs[0] as tf.Tensor2D;
    const save = inputs[1] as tf.GradSaveFunc;
    const sg = tf.matMul(s, gram);
    // ∇ = S·G − C (G symmetric); kept for the backward pass.
    const gradient = tf.sub(sg, correlations);
    save([gradient]);
    const value = tf.tidy(() =>
      tf.add(tf.sum(tf.mul(s, tf.sub(tf.mul(0.5, sg), correlations))), tf.mul(0.5, energy)),
    );
    sg.dispose();
    return {
      value: value as tf.Scalar,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => [tf.mul(dy, saved[0] as tf.Tensor)],
    };
  });
  return tf.tidy(() => tf.add(dataTerm(codes), penalty));
}

/**
 * The codes S (n × k) with every entry set to zero where zero is the lasso's coordinate-wise
 * optimum given the rest of its row: |(Bᵀ(x − Bs))_j + G_jj s_j| ≤ α, the condition under which
 * coordinate descent on ½‖x − Bs‖² + α‖s‖₁ would put s_j at 0. With `gram` = BᵀB (k × k) and
 * `correlations` = XB (n × k), Bᵀ(x − Bs) is a row of XB − S·BᵀB: one n × k × k product. A
 * read-out of spred's smooth iterates (whose zeros are only approached), not a proximal step.
 *
 * @example
 * ```ts
 * const exact = lassoZeros(codes.value(), gram, correlations, alpha);
 * ```
 */
export function lassoZeros(
  codes: tf.Tensor2D,
  gram: tf.Tensor2D,
  correlations: tf.Tensor2D,
  alpha: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const diagonal = tf.sum(tf.mul(gram, tf.eye(gram.shape[0])), 0);
    const partial = tf.add(tf.sub(correlations, tf.matMul(codes, gram)), tf.mul(codes, diagonal));
    return tf.where(
      tf.lessEqual(tf.abs(partial), alpha),
      tf.zerosLike(codes),
      codes,
    ) as tf.Tensor2D;
  });
}

/**
 * The codes S with exact zeros exactly where zero is certified for the lasso of each patch,
 * ½‖x − Bs‖² + α‖s‖₁ with B fixed: the stationarity certificate's zero test |(S·BᵀB − XB)_j| ≤
 * α(1 + tol), specialised to this objective. Candidates are the entries whose test passes at s_j = 0
 * with the rest of the code as it is ({@link lassoZeros}: the coordinate-wise optimum); the test is
 * then repeated where all of them are zero, and every entry that fails gets its value back, until
 * it holds. Nothing else moves. One n × k × k product per round (usually two rounds).
 *
 * @example
 * ```ts
 * const { codes, zeros } = await certifiedLassoCodes(s, gram, correlations, alpha);
 * ```
 */
export async function certifiedLassoCodes(
  codes: tf.Tensor2D,
  gram: tf.Tensor2D,
  correlations: tf.Tensor2D,
  alpha: number,
  tol = 1e-3,
): Promise<{ codes: tf.Tensor2D; zeros: number }> {
  let current = lassoZeros(codes, gram, correlations, alpha);
  for (;;) {
    const next = tf.tidy(() => {
      const gradient = tf.sub(tf.matMul(current, gram), correlations);
      const fails = tf.logicalAnd(
        tf.equal(current, 0),
        tf.logicalAnd(tf.notEqual(codes, 0), tf.greater(tf.abs(gradient), alpha * (1 + tol))),
      );
      return {
        codes: tf.where(fails, codes, current) as tf.Tensor2D,
        restored: tf.sum(tf.cast(fails, 'int32')),
        zeros: tf.sum(tf.cast(tf.equal(current, 0), 'int32')),
      };
    });
    const [restored, zeros] = await Promise.all([next.restored.data(), next.zeros.data()]);
    tf.dispose([next.restored, next.zeros]);
    if ((restored[0] as number) === 0) {
      next.codes.dispose();
      return { codes: current, zeros: zeros[0] as number };
    }
    current.dispose();
    current = next.codes;
  }
}
