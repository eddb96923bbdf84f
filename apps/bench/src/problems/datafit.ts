/**
 * A separable datafit L(z) = Σ_i ℓ_i(z_i) of the linear predictions z = Xw, in float64: what the
 * bench's certificates (duality gaps) and its exact support solves need of it, independent of the
 * solvers under test.
 */
export interface Datafit64 {
  readonly name: 'squared' | 'logistic';
  readonly rows: number;
  /** L(z). */
  value(z: Float64Array): number;
  /** ∂L/∂z_i: the gradient in w is Xᵀ of it. */
  gradient(z: Float64Array): Float64Array;
  /** ∂²L/∂z_i²: the Hessian in w is Xᵀ diag(·) X. */
  curvature(z: Float64Array): Float64Array;
  /** The Fenchel dual −Σ ℓ_i*(−u_i) at a dual point u (feasible when ‖Xᵀu‖∞ ≤ α). */
  dual(u: Float64Array): number;
}

/**
 * (1/2n)‖y − z‖², scikit-learn's lasso scaling.
 *
 * @example
 * ```ts
 * squaredDatafit(Float64Array.of(1, 2)).value(Float64Array.of(0, 0)); // (1 + 4) / 4
 * ```
 */
export function squaredDatafit(y: Float64Array): Datafit64 {
  const n = y.length;
  return {
    name: 'squared',
    rows: n,
    value: (z) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += ((y[i] as number) - (z[i] as number)) ** 2;
      return s / (2 * n);
    },
    gradient: (z) => Float64Array.from(z, (v, i) => (v - (y[i] as number)) / n),
    curvature: () => new Float64Array(n).fill(1 / n),
    // −ℓ*(−u) = u·y − (n/2)u²: with u = r/n this is (1/2n)(‖y‖² − ‖y − r‖²).
    dual: (u) => {
      let s = 0;
      for (let i = 0; i < n; i++)
        s += (u[i] as number) * (y[i] as number) - (n / 2) * (u[i] as number) ** 2;
      return s;
    },
  };
}

/**
 * log(1 + e^t) without overflow.
 *
 * @example
 * ```ts
 * softplus(1000); // 1000, not Infinity
 * ```
 */
export function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

/**
 * 1 / (1 + e^−t), without overflow for large |t|.
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

function negativeEntropy(p: number): number {
  return (p > 0 ? p * Math.log(p) : 0) + (p < 1 ? (1 - p) * Math.log(1 - p) : 0);
}

/**
 * (1/n) Σ log(1 + exp(−s_i z_i)) with s_i = 2y_i − 1 for labels y_i ∈ {0, 1}: binary
 * cross-entropy without intercept, liblinear's loss divided by n.
 *
 * @example
 * ```ts
 * logisticDatafit(Float64Array.of(0, 1)).value(Float64Array.of(0, 0)); // log 2
 * ```
 */
export function logisticDatafit(labels: Float64Array): Datafit64 {
  const n = labels.length;
  const sign = Float64Array.from(labels, (v) => (v > 0.5 ? 1 : -1));
  return {
    name: 'logistic',
    rows: n,
    value: (z) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += softplus(-(sign[i] as number) * (z[i] as number));
      return s / n;
    },
    gradient: (z) =>
      Float64Array.from(
        z,
        (v, i) => (-(sign[i] as number) * sigmoid(-(sign[i] as number) * v)) / n,
      ),
    curvature: (z) => Float64Array.from(z, (v) => (sigmoid(v) * sigmoid(-v)) / n),
    // With u_i = s_i p_i / n, p_i ∈ [0, 1]: −ℓ_i*(−u_i) = −(1/n)(p log p + (1 − p) log(1 − p)).
    dual: (u) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const p = n * (sign[i] as number) * (u[i] as number);
        if (p < -1e-12 || p > 1 + 1e-12) return -Infinity;
        s -= negativeEntropy(Math.min(1, Math.max(0, p)));
      }
      return s / n;
    },
  };
}
