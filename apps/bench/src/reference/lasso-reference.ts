import { Lasso, type DesignMatrix } from '@spredjs/solvers';
import { squaredDatafit } from '../problems/datafit.js';
import { dualityGap } from '../problems/duality-gap.js';
import { REFERENCE_GAP, type ReferenceAnswer } from './reference-answer.js';
import { solveOnSupport } from './support-solve.js';

/**
 * The float64 solution of the lasso (1/2n)‖y − Xw‖² + α‖w‖₁ (no intercept) that a benchmark case
 * scores every solver against: our exact coordinate descent at tol 1e-12, then the KKT equations
 * solved exactly on its support ({@link solveOnSupport}), certified by its own duality gap
 * (≤ 1e-13·P(0)) rather than by agreement with any solver under test.
 *
 * @example
 * ```ts
 * const ref = lassoReference(problem.x, problem.y, alpha);
 * ref.certified; // gap ≤ 1e-13 · P(0)
 * ```
 */
export function lassoReference(x: DesignMatrix, y: Float64Array, alpha: number): ReferenceAnswer {
  const start = performance.now();
  const cd = new Lasso({ alpha, solver: 'cd', tol: 1e-12, fitIntercept: false }).fit(x, y);
  const datafit = squaredDatafit(y);
  const polished = solveOnSupport(x, datafit, alpha, cd.coef);
  const fromCd = dualityGap(x, datafit, cd.coef, alpha);
  const fromKkt = dualityGap(x, datafit, polished.coef, alpha);
  const kkt = fromKkt.gap <= fromCd.gap;
  const objectiveAtZero = datafit.value(new Float64Array(x.rows));
  const certificate = kkt ? fromKkt : fromCd;
  return {
    coef: kkt ? polished.coef : Float64Array.from(cd.coef),
    certificate,
    objectiveAtZero,
    certified: certificate.gap <= REFERENCE_GAP * objectiveAtZero,
    method: kkt
      ? `cd tol 1e-12 + KKT solve on its support (${polished.rounds} support changes)`
      : 'cd tol 1e-12 (KKT solve did not improve it)',
    seconds: (performance.now() - start) / 1000,
  };
}
