import { checkShape } from '../shape.js';
import { buildFactoredParameter } from './build-factors.js';
import { elementStructure } from './group-structure.js';
import type { ReparamOptions } from './options.js';
import type { Reparametrization } from './reparametrization.js';

/**
 * An L1-penalized parameter of any shape as the Hadamard product V = U ⊙ W with the smooth
 * penalty κ(‖U‖² + ‖W‖²), which stands for 2κ‖V‖₁: add `penalty()` to any differentiable loss
 * of `value()` and plain SGD, Adam or L-BFGS solve the L1 problem, no proximal step needed.
 * `depth: N` uses V = U₁ ⊙ … ⊙ U_{N−1} ⊙ W (the sparser L_{2/N} quasi-norm); a per-element
 * `kappa` gives a weighted lasso; `alpha`/`beta` give α‖U‖² + β‖W‖² with κ = √(αβ).
 *
 * @example
 * ```ts
 * const coef = hadamard([d], { kappa: alpha / 2, seed: 1 });  // (1/2n)‖y−Xv‖² + α‖v‖₁
 * const loss = () => tf.add(tf.div(tf.sum(tf.square(tf.sub(y, tf.dot(X, coef.value())))), 2 * n), coef.penalty());
 * tf.train.adam(0.01).minimize(loss, false, [...coef.variables]);
 * const v = coef.collapse({ threshold: 1e-6 });
 * ```
 */
export function hadamard(shape: readonly number[], options: ReparamOptions): Reparametrization {
  const checked = checkShape(shape);
  return buildFactoredParameter('hadamard', elementStructure(checked), options);
}
