/**
 * A data-fitting term F(Z) = (1/n) Σ_i f(Z_i, Y_i) of the linear predictions Z = XW + b (n × k,
 * column-major float64). Besides its value it gives
 * what the duality gap needs: the dual point Θ = −n·∂F/∂Z and the dual objective at sΘ.
 */
export interface Datafit {
  readonly name: 'squared' | 'logistic' | 'multinomial';
  /** F(Z). */
  value(z: Float64Array, y: Float64Array, n: number, k: number): number;
  /** Θ = −n ∂F/∂Z (the residual Y − Z for squared loss), n × k column-major. */
  negativeSampleGradient(z: Float64Array, y: Float64Array, n: number, k: number): Float64Array;
  /** Dual objective D(sΘ) = −(1/n) Σ_i f*(−sΘ_i); for a dual-feasible sΘ it lower-bounds the primal. */
  dual(theta: Float64Array, s: number, y: Float64Array, n: number, k: number): number;
  /** Bound on the curvature of f in z (1 squared, 1/4 logistic, 1/2 multinomial): F's Lipschitz constant is this × ‖X‖²/n. */
  readonly curvature: number;
}
