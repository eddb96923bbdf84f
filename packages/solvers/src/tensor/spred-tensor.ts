import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';
import type { LbfgsOptions } from '@spredjs/optim';
import type { Solver } from '../solvers/solver.js';
import {
  dualityGap,
  zeroObjective,
  type SolveOptions,
  type SolveResult,
  type SparseProblem,
} from '../solvers/problem.js';
import { workingSetRounds, type RoundAnswer, type RoundRequest } from '../solvers/working-set.js';
import {
  solveWithLbfgs,
  solveWithLbfgsAsync,
  solveWithMinibatches,
  type Subproblem,
  type SubproblemResult,
} from './tensor-subproblem.js';
import { dropTinyUnits, thresholdCoefficients, type UnitIndex } from './tensor-thresholds.js';

/** Options of {@link solveSpredTensor}. */
export interface SpredTensorOptions extends SolveOptions {
  /**
   * Solve on a growing set of features (convex penalties): start from the current support plus the
   * features that violate optimality most, solve there, check the duality gap on all features, add
   * the worst violators, repeat. Wide problems then cost a few passes over X. Default true.
   */
  readonly workingSet?: boolean;
  /** Units in the first working set besides the support. Default 10. */
  readonly initialWorkingSet?: number;
  /** Most working-set rounds. Default 50. */
  readonly maxRounds?: number;
  /** L-BFGS iterations per working-set round. Default 1000. */
  readonly maxRoundIterations?: number;
  /**
   * 'lbfgs' (default): full-batch L-BFGS, the accurate choice. 'adam' / 'sgd': mini-batches of
   * `batchSize` rows for `epochs` epochs per round with a cosine-decayed rate — for data too large
   * for one batch; expect gaps near 1e-4 rather than 1e-6.
   */
  readonly optimizer?: 'lbfgs' | 'adam' | 'sgd';
  /** Mini-batch size (adam / sgd). Default 256. */
  readonly batchSize?: number;
  /** Epochs per working-set round (adam / sgd). Default 50. */
  readonly epochs?: number;
  /** Learning rate (adam / sgd). Default 1e-2 for adam, 1e-2 for sgd. */
  readonly learningRate?: number;
  /** Seed of the mini-batch order. Default 0. */
  readonly seed?: number;
  /** L-BFGS options for each sub-problem (its gradient tolerance is tightened while the gap is not met). */
  readonly lbfgs?: LbfgsOptions;
}

/**
 * spred on a sparse problem: the coefficients of the selected features become a `@spredjs/core`
 * parametrization (V = U ⊙ W, or grouped), and full-batch L-BFGS minimizes the smooth objective
 * F(X V + b) + penalty(U, W) in tfjs, on the working sets of {@link workingSetRounds}. Exact zeros
 * come from a final threshold, chosen as the largest that keeps the duality gap within tolerance
 * (and reported). Convex problems stop on the duality gap of the full problem, computed in
 * float64.
 */
export function solveSpredTensor(
  problem: SparseProblem,
  options: SpredTensorOptions = {},
): SolveResult {
  if ((options.optimizer ?? 'lbfgs') !== 'lbfgs') {
    throw new SpredInputError(
      `spred with optimizer '${String(options.optimizer)}' trains on mini-batches asynchronously: use solveSpredTensorAsync (or the estimators' fitAsync)`,
    );
  }
  const driver = tensorRounds(problem, options);
  try {
    let step = driver.rounds.next();
    while (!step.done)
      step = driver.rounds.next(driver.answer(solveWithLbfgs(driver.ask(step.value))));
    return step.value;
  } finally {
    driver.dispose();
  }
}

/**
 * {@link solveSpredTensor} for every optimizer, mini-batch Adam and SGD included, with every
 * tensor read awaited: it runs where synchronous reads throw (WebGPU in Node). With L-BFGS it
 * takes the same iterations as the synchronous solve (`lbfgsAsync`, the twin of `lbfgs`).
 *
 * @example
 * ```ts
 * const result = await solveSpredTensorAsync(problem, { tol: 1e-6 });
 * result.gap <= 1e-6 * zeroObjective(problem); // true when converged
 * ```
 */
export async function solveSpredTensorAsync(
  problem: SparseProblem,
  options: SpredTensorOptions = {},
): Promise<SolveResult> {
  const driver = tensorRounds(problem, options);
  try {
    let step = driver.rounds.next();
    while (!step.done) {
      const request = driver.ask(step.value);
      step = driver.rounds.next(
        driver.answer(
          (options.optimizer ?? 'lbfgs') === 'lbfgs'
            ? await solveWithLbfgsAsync(request)
            : await solveWithMinibatches(request),
        ),
      );
    }
    return step.value;
  } finally {
    driver.dispose();
  }
}

/**
 * The shared working-set rounds, with how a tensor round is asked (its L-BFGS gradient tolerance
 * loose at first, √10 tighter per tightening: float32 gradients bottom out near 1e-7) and
 * answered (a threshold for exact zeros once the gap is near the tolerance).
 */
function tensorRounds(problem: SparseProblem, options: SpredTensorOptions) {
  const { x, k, penalty } = problem;
  const n = x.rows;
  const tolerance = (options.tol ?? 1e-6) * zeroObjective(problem);
  const { unitOf, count } = penalty.units(x.cols);
  const members: number[][] = Array.from({ length: count }, () => []);
  unitOf.forEach((g, j) => members[g]!.push(j));
  const units: UnitIndex = { unitOf, members };
  const firstGradientTolerance =
    options.lbfgs?.gradientTolerance ?? 1e-3 * Math.max(penalty.alpha, 1e-8);
  let maxTightenings = 0;
  for (let g = firstGradientTolerance; g >= 1e-10; g /= Math.sqrt(10)) maxTightenings++;
  const maxIterations = options.maxIterations ?? 20_000;
  const yRowMajor = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) yRowMajor[i * k + c] = problem.y[c * n + i] as number;
  const yTensor = tf.tensor2d(yRowMajor, [n, k]);
  const ask = (round: RoundRequest): Subproblem => ({
    problem,
    features: round.features,
    start: round.start,
    yTensor,
    options,
    lbfgsOptions: {
      historySize: 30,
      ...options.lbfgs,
      gradientTolerance: firstGradientTolerance / Math.sqrt(10) ** round.tightenings,
      maxIterations: Math.max(
        1,
        Math.min(options.maxRoundIterations ?? 1000, round.iterationsLeft ?? Infinity),
      ),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    } satisfies LbfgsOptions,
  });
  const answer = (solved: SubproblemResult): RoundAnswer => {
    // Thresholding costs a few full passes over X: do it once the gap is close to the tolerance
    // (or for nonconvex penalties, which have no gap to wait for).
    const raw = dualityGap(problem, solved.coefficients);
    const thresholded =
      !penalty.convex || raw.gap <= 10 * tolerance
        ? thresholdCoefficients(problem, solved.coefficients, units, tolerance, raw)
        : {
            coefficients: dropTinyUnits(solved.coefficients, units, k, 1e-4),
            at: raw,
            threshold: 0,
          };
    return {
      coefficients: thresholded.coefficients,
      at: thresholded.at,
      iterations: solved.iterations,
      threshold: thresholded.threshold,
      converged: solved.converged,
    };
  };
  const rounds = workingSetRounds(problem, {
    ...options,
    maxIterations,
    maxTightenings,
    workingSet: options.workingSet ?? true,
  });
  return { rounds, ask, answer, dispose: () => yTensor.dispose() };
}

/**
 * spred on tfjs tensors as a {@link Solver}: full-batch L-BFGS (`solve` with synchronous reads, or
 * `solveAsync` with awaited ones, for backends such as WebGPU in Node) or mini-batch Adam / SGD
 * (`solveAsync` only), for GPU backends and data too large for one batch.
 */
export function spredTensorSolver(
  settings: Omit<SpredTensorOptions, keyof SolveOptions> = {},
): Solver {
  return {
    name: 'spred',
    solve: (problem, options = {}) => solveSpredTensor(problem, { ...settings, ...options }),
    solveAsync: (problem, options = {}) =>
      solveSpredTensorAsync(problem, { ...settings, ...options }),
  };
}
