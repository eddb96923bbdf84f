import { SpredInputError } from '@spredjs/core';
import { hsicBlocks } from './hsic-blocks.js';
import { nonNegativeLassoPath } from './non-negative-lasso-path.js';

/** Options of {@link hsicLasso}. */
export interface HsicLassoOptions {
  /** How many genes to select. */
  readonly features: number;
  /** Block size B of block HSIC Lasso (Climente-González et al. 2019). Default 10. */
  readonly blockSize?: number;
  /** Random permutations M averaged by block HSIC Lasso. Default 3. */
  readonly permutations?: number;
  /** Default 0. */
  readonly seed?: number;
}

/** Genes chosen by HSIC Lasso, by decreasing weight. */
export interface HsicLassoResult {
  /** Indices of the selected features, largest coefficient first. */
  readonly selected: Int32Array;
  /** Their non-negative lasso coefficients α. */
  readonly weights: Float64Array;
  /** Penalty level at which the selection was read off. */
  readonly lambda: number;
}

/**
 * HSIC Lasso (Yamada et al. 2014) for classification: a Gaussian kernel per standardized feature,
 * the delta kernel on the labels, centered and normalized Gram matrices K̄_k and L̄, and the
 * non-negative lasso min_α ½‖L̄ − Σ_k α_k K̄_k‖²_F + λ‖α‖₁ with α ≥ 0. The block form (Gram
 * matrices restricted to B×B blocks of M random sample orders) keeps memory at n·B·M values per
 * feature, so 10⁴–10⁵ genes fit. λ decreases geometrically from the first entry (warm-started
 * coordinate descent with non-negative coefficients, `@spredjs/solvers`' own) until `features`
 * genes are active.
 *
 * `x` is row-major n × p, already standardized (z-scores).
 */
export function hsicLasso(
  x: Float32Array,
  n: number,
  p: number,
  labels: Int32Array,
  options: HsicLassoOptions,
): HsicLassoResult {
  if (x.length !== n * p) throw new SpredInputError(`expected ${n}×${p} values, got ${x.length}`);
  if (labels.length !== n) throw new SpredInputError(`expected ${n} labels, got ${labels.length}`);
  const want = Math.min(options.features, p);
  const { design, target } = hsicBlocks(x, n, p, labels, {
    ...(options.blockSize !== undefined ? { blockSize: options.blockSize } : {}),
    ...(options.permutations !== undefined ? { permutations: options.permutations } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const { selected, weights, alpha } = nonNegativeLassoPath(design, target, want);
  // HSIC Lasso's ½‖L̄ − Σ α_k K̄_k‖² + λ‖α‖₁ is the solvers' objective × rows: λ = α·rows.
  return { selected, weights, lambda: alpha * design.rows };
}
