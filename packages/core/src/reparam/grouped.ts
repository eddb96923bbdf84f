import { SpredInputError } from '../errors.js';
import { checkShape } from '../shape.js';
import { buildFactoredParameter } from './build-factors.js';
import { axisStructure, indexStructure } from './group-structure.js';
import type { ReparamOptions } from './options.js';
import type { Reparametrization } from './reparametrization.js';

/** Options of {@link grouped}: exactly one of `axis` or `groups`. */
export interface GroupedOptions extends ReparamOptions {
  /**
   * Axes that index the groups; each group spans all other axes. For a dense kernel `[in, out]`:
   * 0 groups input features (rows), 1 output neurons (columns); for a conv kernel
   * `[kh, kw, in, out]`: 3 groups filters. Negative axes count from the end.
   */
  readonly axis?: number | readonly number[];
  /** Explicit group id (0 … G−1) of every entry of V, in row-major order. */
  readonly groups?: ArrayLike<number>;
}

/**
 * A group-sparse parameter: V_g = u_g · W_g with the smooth penalty κ(Σ_g u_g² + ‖W‖²), which
 * stands for the group lasso penalty 2κ Σ_g ‖V_g‖₂: whole groups (rows, columns, filters, input
 * features, or any index groups) become zero together. Per-group `kappa` weights groups (e.g.
 * κ·√|g| as in the usual group lasso).
 *
 * @example
 * ```ts
 * // Select input features of a dense layer: one scale per row of the [in, out] kernel.
 * const kernel = grouped([784, 100], { axis: 0, kappa: 1e-3, seed: 7 });
 * const hidden = tf.relu(tf.matMul(x, kernel.value()));
 * ```
 */
export function grouped(shape: readonly number[], options: GroupedOptions): Reparametrization {
  const checked = checkShape(shape);
  const { axis, groups } = options;
  if ((axis === undefined) === (groups === undefined)) {
    throw new SpredInputError('grouped needs exactly one of axis or groups');
  }
  const structure =
    axis !== undefined
      ? axisStructure(checked, axis)
      : indexStructure(checked, groups as ArrayLike<number>);
  try {
    return buildFactoredParameter('grouped', structure, options);
  } catch (e) {
    structure.dispose();
    throw e;
  }
}
