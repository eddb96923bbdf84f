import * as tf from '@tensorflow/tfjs-core';
import { GroupedOptimizer, cosineSchedule, lbfgs, train, type LbfgsOptions } from '@spred/optim';
import { SpredInputError, grouped, hadamard, type Reparametrization } from '@spred/core';
import { residual } from '../data/linear-algebra.js';
import type { Datafit } from '../datafits/datafit.js';
import type { Penalty } from '../penalties/penalty.js';
import type { Solver } from '../solvers/solver.js';
import { columnsTensor } from './columns-tensor.js';
import {
  dualityGap,
  initialIntercept,
  zeroObjective,
  type Coefficients,
  type SolveOptions,
  type SolveResult,
  type SolverRecord,
  type SparseProblem,
} from '../solvers/problem.js';

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

interface UnitIndex {
  readonly unitOf: Int32Array;
  readonly members: number[][];
}

/** F on tensors: the mean over rows of f(z, y), for predictions z and targets y, both [n, k]. */
function tensorDatafit(datafit: Datafit, z: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (datafit.name) {
      case 'squared':
        return tf.div(tf.sum(tf.square(tf.sub(y, z))), 2 * (z.shape[0] as number)) as tf.Scalar;
      case 'logistic':
        return tf.mean(tf.sub(tf.softplus(z), tf.mul(y, z))) as tf.Scalar;
      case 'multinomial':
        return tf.mean(tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(y, z), 1))) as tf.Scalar;
    }
  });
}

/** The @spred/core parametrization of the coefficients of `features` ([features.length, k]), plus the elastic net's ridge term. */
function tensorParametrization(
  penalty: Penalty,
  features: readonly number[],
  k: number,
): { param: Reparametrization; extra?: (v: tf.Tensor) => tf.Scalar } {
  const form = penalty.restrict(features).factorization(features.length, k);
  const shape: [number, number] = [features.length, k];
  const param =
    form.kind === 'elementwise'
      ? hadamard(shape, {
          kappa: form.kappa,
          ...(form.depth === undefined ? {} : { depth: form.depth }),
        })
      : grouped(shape, { groups: Array.from(form.groupOf), kappa: Array.from(form.kappa) });
  const ridge = penalty.ridge;
  return ridge > 0
    ? { param, extra: (v) => tf.mul(0.5 * ridge, tf.sum(tf.square(v))) as tf.Scalar }
    : { param };
}

/**
 * spred on a sparse problem: the coefficients of the selected features become a `@spred/core`
 * parametrization (V = U ⊙ W, or grouped), and full-batch L-BFGS minimizes the smooth objective
 * F(X V + b) + penalty(U, W) in tfjs. Exact zeros come from a final threshold, chosen as the
 * largest that keeps the duality gap within tolerance (and reported). Convex problems stop on the
 * duality gap of the full problem, computed in float64.
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
  const rounds = spredRounds(problem, options);
  let step = rounds.next();
  while (!step.done) step = rounds.next(solveWithLbfgs(step.value));
  return step.value;
}

/** {@link solveSpredTensor} for every optimizer, mini-batch Adam and SGD included. */
export async function solveSpredTensorAsync(
  problem: SparseProblem,
  options: SpredTensorOptions = {},
): Promise<SolveResult> {
  const rounds = spredRounds(problem, options);
  let step = rounds.next();
  while (!step.done) {
    const request = step.value;
    step = rounds.next(
      (options.optimizer ?? 'lbfgs') === 'lbfgs'
        ? solveWithLbfgs(request)
        : await solveWithMinibatches(request),
    );
  }
  return step.value;
}

/** The working-set rounds, yielding each sub-problem for a driver to solve. */
function* spredRounds(
  problem: SparseProblem,
  options: SpredTensorOptions,
): Generator<Subproblem, SolveResult, SubproblemResult> {
  const { x, k, penalty } = problem;
  const d = x.cols;
  const n = x.rows;
  const tol = options.tol ?? 1e-6;
  const tolerance = tol * zeroObjective(problem);
  const { unitOf, count } = penalty.units(d);
  const members: number[][] = Array.from({ length: count }, () => []);
  unitOf.forEach((g, j) => members[g]!.push(j));
  const units: UnitIndex = { unitOf, members };
  let current: Coefficients = {
    w: Float64Array.from(options.warmStart?.w ?? new Float64Array(d * k)),
    intercept: Float64Array.from(options.warmStart?.intercept ?? initialIntercept(problem)),
  };
  const useWorkingSet = penalty.convex && (options.workingSet ?? true);
  const yRowMajor = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) yRowMajor[i * k + c] = problem.y[c * n + i] as number;
  const yTensor = tf.tensor2d(yRowMajor, [n, k]);
  const history: SolverRecord[] = [];
  const started = performance.now();
  let iterations = 0;
  // Loose at first; tightened by √10 whenever a round ends with the gap unmet and no violators left.
  let gradientTolerance = options.lbfgs?.gradientTolerance ?? 1e-3 * Math.max(penalty.alpha, 1e-8);
  const maxIterations = options.maxIterations ?? 20_000;
  let workingSet = useWorkingSet
    ? firstWorkingSet(problem, current, units, options.initialWorkingSet ?? 10)
    : Array.from({ length: count }, (_, g) => g);
  let result: SolveResult | undefined;
  try {
    for (let round = 1; round <= (useWorkingSet ? (options.maxRounds ?? 50) : 1); round++) {
      if (options.signal?.aborted === true) break;
      const features = workingSet.flatMap((g) => members[g]!).sort((a, b) => a - b);
      const solved: SubproblemResult = yield subproblem(
        problem,
        features,
        current,
        yTensor,
        options,
        {
          historySize: 30,
          ...options.lbfgs,
          gradientTolerance,
          maxIterations: Math.max(
            1,
            Math.min(options.maxRoundIterations ?? 1000, maxIterations - iterations),
          ),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        },
      );
      iterations += solved.iterations;
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
      current = thresholded.coefficients;
      const at = thresholded.at;
      history.push({
        iteration: iterations,
        objective: at.objective,
        gap: at.gap,
        seconds: (performance.now() - started) / 1000,
        workingSet: features.length,
      });
      result = {
        ...current,
        objective: at.objective,
        gap: at.gap,
        iterations,
        converged: penalty.convex ? at.gap <= tolerance : solved.converged,
        threshold: thresholded.threshold,
        history,
      };
      if (!penalty.convex || result.converged || iterations >= maxIterations) break;
      const ratios = penalty.kktRatio(at.negativeGradient, d, k);
      const inSet = new Set(workingSet);
      const violators = Array.from({ length: count }, (_, g) => g)
        .filter((g) => !inSet.has(g) && (ratios[g] as number) > 1)
        .sort((a, b) => (ratios[b] as number) - (ratios[a] as number));
      if (violators.length === 0) {
        // Every feature outside is optimal: the sub-problem itself needs a tighter solve.
        // (by √10: float32 gradients bottom out near 1e-7, and a round that asks for more stalls)
        if (gradientTolerance < 1e-10) break;
        gradientTolerance /= Math.sqrt(10);
      } else {
        workingSet = [...workingSet, ...violators.slice(0, Math.max(workingSet.length, 10))];
      }
    }
  } finally {
    yTensor.dispose();
  }
  if (result === undefined) {
    const at = dualityGap(problem, current);
    return {
      ...current,
      objective: at.objective,
      gap: at.gap,
      iterations,
      converged: false,
      threshold: 0,
      history,
    };
  }
  return result;
}

function firstWorkingSet(
  problem: SparseProblem,
  start: Coefficients,
  units: UnitIndex,
  extra: number,
): number[] {
  const { k, penalty } = problem;
  const d = problem.x.cols;
  const support = units.members
    .map((m, g) =>
      m.some((j) => start.w.subarray(j * k, j * k + k).some((v) => v !== 0)) ? g : -1,
    )
    .filter((g) => g >= 0);
  const at = dualityGap(problem, start);
  const ratios = penalty.kktRatio(at.negativeGradient, d, k);
  const inSupport = new Set(support);
  const candidates = Array.from({ length: units.members.length }, (_, g) => g)
    .filter((g) => !inSupport.has(g))
    .sort((a, b) => (ratios[b] as number) - (ratios[a] as number))
    .slice(0, Math.max(extra, support.length));
  return [...support, ...candidates];
}

/** One working-set sub-problem: the spred form of the problem on `features`, warm-started. */
interface Subproblem {
  readonly problem: SparseProblem;
  readonly features: readonly number[];
  readonly start: Coefficients;
  readonly yTensor: tf.Tensor2D;
  readonly options: SpredTensorOptions;
  readonly lbfgsOptions: LbfgsOptions;
}

interface SubproblemResult {
  readonly coefficients: Coefficients;
  readonly iterations: number;
  readonly converged: boolean;
}

function subproblem(
  problem: SparseProblem,
  features: readonly number[],
  start: Coefficients,
  yTensor: tf.Tensor2D,
  options: SpredTensorOptions,
  lbfgsOptions: LbfgsOptions,
): Subproblem {
  return { problem, features, start, yTensor, options, lbfgsOptions };
}

/** The tensors of a sub-problem: columns of X, the parametrization (warm-started), the intercept. */
function setUp(request: Subproblem) {
  const { problem, features, start } = request;
  const { x, k, datafit, penalty } = problem;
  const xs = columnsTensor(x, features);
  const spred = tensorParametrization(penalty, features, k);
  const bias = tf.variable(tf.tensor1d(Float32Array.from(start.intercept)));
  const warm = new Float32Array(features.length * k);
  features.forEach((j, q) => {
    for (let c = 0; c < k; c++) warm[q * k + c] = start.w[j * k + c] as number;
  });
  // Unit scales, not the balanced split: zero coefficients must not start at the saddle 0.
  spred.param.assign(warm, { factorization: 'unit-scales' });
  const variables = problem.fitIntercept
    ? [...spred.param.variables, bias]
    : [...spred.param.variables];
  const objective = (xb: tf.Tensor, yb: tf.Tensor) =>
    tf.tidy(() => {
      const v = spred.param.value();
      const z = problem.fitIntercept ? tf.add(tf.matMul(xb, v), bias) : tf.matMul(xb, v);
      const terms = [tensorDatafit(datafit, z, yb), spred.param.penalty()];
      if (spred.extra !== undefined) terms.push(spred.extra(v));
      return tf.addN(terms) as tf.Scalar;
    });
  const read = (): Coefficients => {
    const v = spred.param.value();
    const values = v.dataSync();
    v.dispose();
    const w = new Float64Array(x.cols * k);
    features.forEach((j, q) => {
      for (let c = 0; c < k; c++) w[j * k + c] = values[q * k + c] as number;
    });
    const intercept = problem.fitIntercept
      ? Float64Array.from(bias.dataSync())
      : Float64Array.from(start.intercept);
    return { w, intercept };
  };
  const dispose = () => {
    xs.dispose();
    bias.dispose();
    spred.param.dispose();
  };
  return { xs, variables, objective, read, dispose };
}

/** Full-batch L-BFGS on a sub-problem. */
function solveWithLbfgs(request: Subproblem): SubproblemResult {
  const s = setUp(request);
  try {
    const report = lbfgs(
      () => s.objective(s.xs, request.yTensor),
      s.variables,
      request.lbfgsOptions,
    );
    return {
      coefficients: s.read(),
      iterations: report.iterations,
      converged: report.stopReason === 'gradient',
    };
  } finally {
    s.dispose();
  }
}

/** Mini-batch Adam or SGD on a sub-problem, through the one training loop. */
async function solveWithMinibatches(request: Subproblem): Promise<SubproblemResult> {
  const { options, problem } = request;
  const s = setUp(request);
  const epochs = options.epochs ?? 50;
  const batchSize = Math.min(options.batchSize ?? 256, problem.x.rows);
  const optimizer = new GroupedOptimizer(
    { kind: options.optimizer as 'adam' | 'sgd', learningRate: options.learningRate ?? 1e-2 },
    [{ variables: s.variables }],
  );
  try {
    const result = await train({
      optimizer,
      data: [s.xs, request.yTensor],
      batchSize,
      epochs,
      seed: options.seed ?? 0,
      schedule: cosineSchedule({ epochs }),
      loss: ([xb, yb]) => s.objective(xb as tf.Tensor, yb as tf.Tensor),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return {
      coefficients: s.read(),
      iterations: result.epochs * Math.ceil(problem.x.rows / batchSize),
      converged: result.stopReason === 'epochs',
    };
  } finally {
    optimizer.dispose();
    s.dispose();
  }
}

/**
 * Sets to exact zero every unit whose coefficients' largest magnitude is ≤ τ, for the largest τ in
 * 10⁻²…10⁻⁸ × max|W| that keeps the duality gap within max(gap before, tolerance).
 */
function thresholdByMagnitude(
  problem: SparseProblem,
  c: Coefficients,
  units: UnitIndex,
  tolerance: number,
  before: ReturnType<typeof dualityGap>,
) {
  const { k } = problem;
  const scale = c.w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const unitMax = units.members.map((m) =>
    m.reduce((mx, j) => Math.max(mx, ...Array.from(c.w.subarray(j * k, j * k + k), Math.abs)), 0),
  );
  // Zeroing tiny coefficients may move the float64 gap a little either way; allow 10%.
  const allowed = problem.penalty.convex ? Math.max(1.1 * before.gap, tolerance) : Infinity;
  for (const relative of [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8]) {
    const threshold = relative * scale;
    if (!unitMax.some((m) => m > 0 && m <= threshold)) continue;
    const w = Float64Array.from(c.w);
    units.members.forEach((m, g) => {
      if ((unitMax[g] as number) <= threshold) for (const j of m) w.fill(0, j * k, j * k + k);
    });
    const candidate = { w, intercept: c.intercept };
    const at = dualityGap(problem, candidate);
    if (
      problem.penalty.convex ? at.gap <= allowed : at.objective <= before.objective * (1 + 1e-6)
    ) {
      return { coefficients: candidate, at, threshold };
    }
  }
  return { coefficients: c, at: before, threshold: 0 };
}

/**
 * Exact zeros for spred's answer: the magnitude threshold above, then — for squared loss with an
 * L1 or elastic-net penalty — every remaining coefficient whose removal does not raise the
 * objective is removed. Removing w_j changes the objective by
 * Δ_j = w_j·x_jᵀr/n + w_j²(‖x_j‖²/n + ridge)/2 − αρ|w_j| (r the residual): positive for a true
 * nonzero (where x_jᵀr/n = αρ·sign(w_j) − ridge·w_j), negative for a coefficient that only sits
 * near zero because float32 L-BFGS stopped short of it. The objective only goes down.
 */
function thresholdCoefficients(
  problem: SparseProblem,
  c: Coefficients,
  units: UnitIndex,
  tolerance: number,
  before: ReturnType<typeof dualityGap>,
) {
  const byMagnitude = thresholdByMagnitude(problem, c, units, tolerance, before);
  const { penalty, datafit, x, k } = problem;
  if (datafit.name !== 'squared' || (penalty.name !== 'l1' && penalty.name !== 'elasticnet'))
    return byMagnitude;
  const n = x.rows;
  const w = Float64Array.from(byMagnitude.coefficients.w);
  const r = residual(x, problem.y, w, k);
  const levels = penalty.unitLevels(x.cols);
  let pruned = 0;
  let largest = byMagnitude.threshold;
  for (let j = 0; j < x.cols; j++) {
    for (let c2 = 0; c2 < k; c2++) {
      const wj = w[j * k + c2] as number;
      if (wj === 0) continue;
      let dot = 0;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        const xij = x.data[j * n + i] as number;
        dot += xij * (r[c2 * n + i] as number);
        norm += xij * xij;
      }
      const delta =
        (wj * dot) / n +
        0.5 * wj * wj * (norm / n + penalty.ridge) -
        (levels[j] as number) * Math.abs(wj);
      if (delta < 0) {
        for (let i = 0; i < n; i++)
          r[c2 * n + i] = (r[c2 * n + i] as number) + wj * (x.data[j * n + i] as number);
        w[j * k + c2] = 0;
        largest = Math.max(largest, Math.abs(wj));
        pruned++;
      }
    }
  }
  if (pruned === 0) return byMagnitude;
  const coefficients = { w, intercept: byMagnitude.coefficients.intercept };
  return { coefficients, at: dualityGap(problem, coefficients), threshold: largest };
}

/**
 * Between working-set rounds: zero the units whose largest coefficient is below `relative` ×
 * max|W|, without checking the gap (cheap). They only seed the next round, and tiny leftovers would
 * otherwise keep their features in the working set.
 */
function dropTinyUnits(
  c: Coefficients,
  units: UnitIndex,
  k: number,
  relative: number,
): Coefficients {
  const scale = c.w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const w = Float64Array.from(c.w);
  for (const members of units.members) {
    let largest = 0;
    for (const j of members)
      for (let q = 0; q < k; q++) largest = Math.max(largest, Math.abs(w[j * k + q] as number));
    if (largest > 0 && largest <= relative * scale)
      for (const j of members) w.fill(0, j * k, j * k + k);
  }
  return { w, intercept: c.intercept };
}

/**
 * spred on tfjs tensors as a {@link Solver}: full-batch L-BFGS (`solve`, synchronous reads) or
 * mini-batch Adam / SGD (`solveAsync` only), for GPU backends and data too large for one batch.
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
