import {
  coordinateDescentSolver,
  dualityGap,
  l1Penalty,
  squaredLoss,
  type DesignMatrix,
  type SolveResult,
  type SparseProblem,
} from '@spredjs/solvers/linear';

/** Where {@link nonNegativeLassoPath} stopped. */
export interface NonNegativeSelection {
  /** Features with the `want` largest coefficients (all positive), largest first. */
  readonly selected: Int32Array;
  readonly weights: Float64Array;
  /** The path's α at the stop (the solvers' scaling, (1/2n)‖y − Xw‖² + α‖w‖₁). */
  readonly alpha: number;
}

/**
 * The non-negative lasso min_{w ≥ 0} (1/2n)‖y − Xw‖² + α‖w‖₁ on a geometric path
 * α_t = α_max·0.93^t (t = 1, 2, …, at most 200; α_max = max_j x_jᵀy/n, warm starts), solved by the
 * solvers' coordinate descent with `positive` coefficients on working sets to a duality gap of
 * 1e-9 × the objective at 0. It stops at the first α with at least `want` active features and
 * returns the `want` largest coefficients.
 *
 * @example
 * ```ts
 * const { selected, weights, alpha } = nonNegativeLassoPath(design, target, 50);
 * ```
 */
export function nonNegativeLassoPath(
  x: DesignMatrix,
  target: Float64Array,
  want: number,
): NonNegativeSelection {
  const p = x.cols;
  const problemAt = (alpha: number): SparseProblem => ({
    x,
    y: target,
    k: 1,
    datafit: squaredLoss,
    penalty: l1Penalty(alpha, undefined, { positive: true }),
    fitIntercept: false,
  });
  const intercept = new Float64Array(1);
  // α_max: the largest positive correlation x_kᵀy/n (−∇F at w = 0).
  const zero = { w: new Float64Array(p), intercept };
  const alphaMax = dualityGap(problemAt(1), zero).negativeGradient.reduce(
    (m, v) => Math.max(m, v),
    0,
  );
  const solver = coordinateDescentSolver();
  let fit: SolveResult | undefined;
  let alpha = alphaMax;
  for (let step = 0; step < 200 && alphaMax > 0; step++) {
    alpha = alphaMax * Math.pow(0.93, step + 1);
    fit = solver.solve(problemAt(alpha), {
      tol: 1e-9,
      ...(fit !== undefined ? { warmStart: fit } : {}),
    });
    if (fit.w.reduce((c, a) => c + (a > 0 ? 1 : 0), 0) >= want) break;
  }
  const coefficients = fit?.w ?? zero.w;
  const order = Array.from({ length: p }, (_, k) => k)
    .filter((k) => (coefficients[k] as number) > 0)
    .sort((a, b) => (coefficients[b] as number) - (coefficients[a] as number) || a - b)
    .slice(0, want);
  return {
    selected: Int32Array.from(order),
    weights: Float64Array.from(order.map((k) => coefficients[k] as number)),
    alpha,
  };
}
