import { Lasso, type DesignMatrix } from '@spredjs/solvers/linear';

/** The held-out score of a dictionary: what {@link heldOutObjective} returns. */
export interface HeldOutScore {
  /** Mean over patches of ½‖x − Dc‖² + α‖c‖₁ (scikit-learn's convention), D with unit-norm atoms. */
  readonly objective: number;
  /** Mean over patches of ‖x − Dc‖² / ‖x‖². */
  readonly reconstructionError: number;
  /** Share of exact zeros in the codes. */
  readonly codeSparsity: number;
  /** Largest duality gap of a patch's lasso, relative to its objective at c = 0. */
  readonly worstRelativeGap: number;
}

/**
 * Scores a dictionary (k atoms of d values, row-major) on held-out patches (n × d, row-major) by
 * one exact encoder for every method: each atom is scaled to unit norm, then each patch's code is
 * the lasso min_c ½‖x − Dc‖² + α‖c‖₁ solved by coordinate descent (`Lasso` of `@spredjs/solvers`,
 * no intercept, duality gap ≤ 1e-10 of the objective at 0). `Lasso` minimizes
 * (1/2d)‖x − Dc‖² + (α/d)‖c‖₁ over the d pixels, the same minimizer. A zero atom stays zero.
 *
 * @example
 * ```ts
 * heldOutObjective(model.components, 256, 256, heldOut, 1).objective;
 * ```
 */
export function heldOutObjective(
  atoms: Float32Array | Float64Array,
  k: number,
  d: number,
  patches: Float32Array | Float64Array,
  alpha: number,
): HeldOutScore {
  // The design: d pixel rows, k atom columns (column-major: atom a is column a).
  const data = new Float64Array(d * k);
  for (let a = 0; a < k; a++) {
    let norm = 0;
    for (let p = 0; p < d; p++) norm += (atoms[a * d + p] as number) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let p = 0; p < d; p++) data[a * d + p] = (atoms[a * d + p] as number) * scale;
  }
  const design: DesignMatrix = { rows: d, cols: k, data };
  const n = patches.length / d;
  let objective = 0;
  let relative = 0;
  let zeros = 0;
  let worstRelativeGap = 0;
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const x = Float64Array.from(patches.subarray(i * d, i * d + d));
    const energy = x.reduce((acc, v) => acc + v * v, 0);
    let l1 = 0;
    r.set(x);
    if (energy > 0) {
      const lasso = new Lasso({
        alpha: alpha / d,
        fitIntercept: false,
        solver: 'cd',
        tol: 1e-10,
        maxIter: 100_000,
      }).fit(design, x);
      worstRelativeGap = Math.max(worstRelativeGap, lasso.dualityGap / (energy / (2 * d)));
      lasso.coef.forEach((c, a) => {
        if (c === 0) {
          zeros++;
          return;
        }
        l1 += Math.abs(c);
        for (let p = 0; p < d; p++) r[p] = (r[p] as number) - c * (data[a * d + p] as number);
      });
    } else zeros += k;
    const residual = r.reduce((acc, v) => acc + v * v, 0);
    objective += 0.5 * residual + alpha * l1;
    relative += energy > 0 ? residual / energy : 0;
  }
  return {
    objective: objective / n,
    reconstructionError: relative / n,
    codeSparsity: zeros / (n * k),
    worstRelativeGap,
  };
}
