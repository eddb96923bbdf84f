import type { Penalty } from '../penalties/penalty.js';
import { penaltyFor } from '../penalties/penalty-for.js';
import type { LinearOptions } from './fit-linear.js';
import { SparseRegressor } from './sparse-regressor.js';

/** Options of {@link Lasso}. */
export interface LassoOptions extends LinearOptions {
  /** Penalty level α in (1/2n)‖y − Xw − b‖² + α‖w‖₁. */
  readonly alpha: number;
  /** Per-feature penalty weights ω_j > 0 (adaptive / weighted lasso): α Σ ω_j |w_j|. */
  readonly weights?: ArrayLike<number>;
  /** N ≥ 3 replaces ‖w‖₁ by the sparser L_{2/N} quasi-norm Σ|w|^{2/N} (nonconvex; spred only). Default 2. */
  readonly depth?: number;
}

/**
 * The lasso, (1/2n)‖y − Xw − b‖² + α‖w‖₁ (scikit-learn's scaling), solved by spred (L-BFGS on
 * w = u ⊙ v with working sets) or by the exact references `'cd'` and `'fista'`. Reports the
 * duality gap it stopped on and the threshold that made exact zeros.
 *
 * @example
 * ```ts
 * const model = new Lasso({ alpha: 0.1 }).fit(X, y);
 * model.coef; model.intercept; model.dualityGap; model.predict(Xtest);
 * ```
 */
export class Lasso extends SparseRegressor<LassoOptions> {
  protected penalty(d: number): Penalty {
    return penaltyFor('l1', d, this.options);
  }
}

/** Options of {@link ElasticNet}. */
export interface ElasticNetOptions extends LinearOptions {
  readonly alpha: number;
  /** ρ in α(ρ‖w‖₁ + (1−ρ)/2‖w‖²). Default 0.5. */
  readonly l1Ratio?: number;
}

/**
 * The elastic net (1/2n)‖y − Xw − b‖² + α(ρ‖w‖₁ + (1−ρ)/2‖w‖²), scikit-learn's parametrization.
 *
 * @example
 * ```ts
 * new ElasticNet({ alpha: 0.1, l1Ratio: 0.7 }).fit(X, y).coef;
 * ```
 */
export class ElasticNet extends SparseRegressor<ElasticNetOptions> {
  protected penalty(d: number): Penalty {
    return penaltyFor('elasticnet', d, this.options);
  }
}

/** Options of {@link MultiTaskLasso}. */
export interface MultiTaskLassoOptions extends LinearOptions {
  readonly alpha: number;
}

/**
 * The multi-task lasso (1/2n)‖Y − XW − 1bᵀ‖²_F + α Σ_j ‖W_j‖₂ over the rows of the d × k
 * coefficient matrix: a feature is used by all outputs or by none.
 *
 * @example
 * ```ts
 * const m = new MultiTaskLasso({ alpha: 0.05 }).fit(X, Y); // Y: n rows of k values
 * m.coefMatrix; // d rows of k coefficients
 * ```
 */
export class MultiTaskLasso extends SparseRegressor<MultiTaskLassoOptions> {
  protected override readonly multiOutput = true;
  protected penalty(d: number): Penalty {
    return penaltyFor('rows', d, this.options);
  }
}

/** Options of {@link GroupLasso}. */
export interface GroupLassoOptions extends LinearOptions {
  readonly alpha: number;
  /** Group id (0 … G−1) of every feature. */
  readonly groups: ArrayLike<number>;
  /** ω_g > 0; default √|g|. */
  readonly groupWeights?: ArrayLike<number>;
}

/**
 * The group lasso (1/2n)‖y − Xw − b‖² + α Σ_g ω_g ‖w_g‖₂: whole groups of features enter or
 * leave together.
 *
 * @example
 * ```ts
 * new GroupLasso({ alpha: 0.1, groups: [0, 0, 0, 1, 1, 2] }).fit(X, y);
 * ```
 */
export class GroupLasso extends SparseRegressor<GroupLassoOptions> {
  protected penalty(d: number): Penalty {
    return penaltyFor('group', d, this.options);
  }
}
