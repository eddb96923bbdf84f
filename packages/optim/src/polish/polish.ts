import type * as tf from '@tensorflow/tfjs-core';
import {
  certificateAt,
  checkTol,
  evaluateDataLoss,
  inValueSpace,
  startingPoint,
  variableOffsets,
  writeVariables,
  type DataLoss,
  type L1Term,
  type Reparametrization,
  type StationarityCertificate,
} from '@spredjs/core';
import { minimizeOwlqnAsync, type OwlqnStopReason } from './owlqn.js';

/** Options of {@link polish}. */
export interface PolishOptions {
  /**
   * The objective's other trainable variables, without an L1 term (intercepts, biases,
   * unpenalized weights): polished together with the sparse parameters. Default none.
   */
  readonly variables?: readonly tf.Variable[];
  /** Stop once every violation is at most this, relative to 2κ (see `l1Stationarity`). Default 1e-4. */
  readonly tol?: number;
  /** Iteration cap (each iteration evaluates the loss on all the data about once). Default 1000. */
  readonly maxIterations?: number;
  /** L-BFGS history size. Default 10. */
  readonly historySize?: number;
  readonly signal?: AbortSignal;
  /** Called after every iteration with the objective L + Σ 2κ‖V_g‖ and the largest violation. */
  readonly onIteration?: (info: {
    readonly iteration: number;
    readonly objective: number;
    readonly violation: number;
  }) => void;
}

/** What {@link polish} returns. */
export interface PolishResult {
  /** The certificate at the polished point. */
  readonly certificate: StationarityCertificate;
  /** The certificate where polish started. */
  readonly before: StationarityCertificate;
  readonly iterations: number;
  /** Evaluations of the loss and its gradient on all the data. */
  readonly evaluations: number;
  /** 'certified' when every condition holds within tol; otherwise why it stopped first. */
  readonly stopReason: OwlqnStopReason;
}

/**
 * {@link polish} on L1 terms whose variables hold V itself (value space); the variables are left
 * at the polished point. Used by `@spredjs/layers`' `polish(model, …)`.
 */
export async function polishTerms(
  terms: readonly L1Term[],
  loss: DataLoss,
  options: PolishOptions = {},
): Promise<PolishResult> {
  const { tol, layout, x: x0, evaluation: start } = await startingPoint(terms, loss, options);
  const before = certificateAt(layout, x0, start.value, start.gradient, tol);
  let first = true;
  const result = await minimizeOwlqnAsync(
    async (x) => {
      if (first) {
        first = false;
        return start;
      }
      writeVariables(layout.variables, x);
      return evaluateDataLoss(loss, layout.variables);
    },
    x0,
    layout,
    {
      tol,
      blocks: variableOffsets(layout.variables).at,
      // float32 losses: steps below f's rounding are judged by their slope
      functionNoise: 1e-6,
      ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
      ...(options.historySize === undefined ? {} : { historySize: options.historySize }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onIteration === undefined
        ? {}
        : {
            onIteration: ({ iteration, objective, violation }) =>
              options.onIteration?.({ iteration, objective, violation }),
          }),
    },
  );
  // The variables hold float32: the certificate is of the point as stored.
  const stored = Float64Array.from(Float32Array.from(result.x));
  writeVariables(layout.variables, stored);
  const certificate = certificateAt(layout, stored, result.value, result.gradient, tol);
  return {
    certificate,
    before,
    iterations: result.iterations,
    evaluations: result.evaluations,
    stopReason: result.stopReason,
  };
}

/**
 * A full-batch finish after any optimizer: from wherever SGD, Adam or anything else left the
 * parametrizations, it solves L + Σ 2κ‖V_g‖ (L: the smooth part on all the data, without the
 * spred penalties) in value space by orthant-wise L-BFGS, so entries that belong at zero land on
 * exactly zero, until the first-order certificate holds within `tol` (relative to 2κ). For a
 * convex model that is the exact L1 answer; for a network, a certified stationary point near
 * where training ended. The factors end balanced (|U| = |W|, exact zeros as U = W = 0), so
 * `collapse({ threshold: 0 })` reads the zeros. On an error nothing is modified.
 *
 * @example
 * ```ts
 * const coef = hadamard([d, 1], { kappa: alpha / 2 });
 * // … any optimizer on datafit() + coef.penalty() …
 * const { certificate } = await polish([coef], datafit, { variables: [intercept] });
 * certificate.certified; // true
 * const sparse = coef.collapse({ threshold: 0 });
 * ```
 */
export async function polish(
  params: readonly Reparametrization[],
  loss: DataLoss,
  options: PolishOptions = {},
): Promise<PolishResult> {
  checkTol(options.tol);
  return inValueSpace(params, (terms) => polishTerms(terms, loss, options), {
    keep: true,
    variables: options.variables,
  });
}
