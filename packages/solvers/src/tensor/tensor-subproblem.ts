import * as tf from '@tensorflow/tfjs-core';
import {
  GroupedOptimizer,
  cosineSchedule,
  lbfgs,
  lbfgsAsync,
  train,
  type LbfgsOptions,
} from '@spredjs/optim';
import { grouped, hadamard, type Reparametrization } from '@spredjs/core';
import type { Datafit } from '../datafits/datafit.js';
import type { Penalty } from '../penalties/penalty.js';
import type { Coefficients, SparseProblem } from '../solvers/problem.js';
import { columnsTensor } from './columns-tensor.js';
import type { SpredTensorOptions } from './spred-tensor.js';

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

/** The @spredjs/core parametrization of the coefficients of `features` ([features.length, k]), plus the elastic net's ridge term. */
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

/** One working-set sub-problem: the spred form of the problem on `features`, warm-started. */
export interface Subproblem {
  readonly problem: SparseProblem;
  readonly features: readonly number[];
  readonly start: Coefficients;
  readonly yTensor: tf.Tensor2D;
  readonly options: SpredTensorOptions;
  readonly lbfgsOptions: LbfgsOptions;
}

export interface SubproblemResult {
  readonly coefficients: Coefficients;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * The tensors of a sub-problem: columns of X, the parametrization, the intercept. The warm start
 * is written by `start` / `startAsync` and the solution read by `read` / `readAsync` (the twins
 * differ only in how they read: `assign`'s finite check and the coefficients).
 */
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
  const factorization = { factorization: 'unit-scales' } as const;
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
  const coefficients = (values: ArrayLike<number>, biasValues: ArrayLike<number>): Coefficients => {
    const w = new Float64Array(x.cols * k);
    features.forEach((j, q) => {
      for (let c = 0; c < k; c++) w[j * k + c] = values[q * k + c] as number;
    });
    const intercept = Float64Array.from(problem.fitIntercept ? biasValues : start.intercept);
    return { w, intercept };
  };
  const read = (): Coefficients => {
    const v = spred.param.value();
    try {
      return coefficients(v.dataSync(), problem.fitIntercept ? bias.dataSync() : []);
    } finally {
      v.dispose();
    }
  };
  const readAsync = async (): Promise<Coefficients> => {
    const v = spred.param.value();
    try {
      return coefficients(await v.data(), problem.fitIntercept ? await bias.data() : []);
    } finally {
      v.dispose();
    }
  };
  const dispose = () => {
    xs.dispose();
    bias.dispose();
    spred.param.dispose();
  };
  return {
    xs,
    variables,
    objective,
    start: () => spred.param.assign(warm, factorization),
    startAsync: () => spred.param.assignAsync(warm, factorization),
    read,
    readAsync,
    dispose,
  };
}

/** Full-batch L-BFGS on a sub-problem. */
export function solveWithLbfgs(request: Subproblem): SubproblemResult {
  const s = setUp(request);
  try {
    s.start();
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

/** {@link solveWithLbfgs} with every read awaited (the same iterations, via `lbfgsAsync`). */
export async function solveWithLbfgsAsync(request: Subproblem): Promise<SubproblemResult> {
  const s = setUp(request);
  try {
    await s.startAsync();
    const report = await lbfgsAsync(
      () => s.objective(s.xs, request.yTensor),
      s.variables,
      request.lbfgsOptions,
    );
    return {
      coefficients: await s.readAsync(),
      iterations: report.iterations,
      converged: report.stopReason === 'gradient',
    };
  } finally {
    s.dispose();
  }
}

/** Mini-batch Adam or SGD on a sub-problem, through the one training loop. */
export async function solveWithMinibatches(request: Subproblem): Promise<SubproblemResult> {
  const { options, problem } = request;
  const s = setUp(request);
  const epochs = options.epochs ?? 50;
  const batchSize = Math.min(options.batchSize ?? 256, problem.x.rows);
  const optimizer = new GroupedOptimizer(
    { kind: options.optimizer as 'adam' | 'sgd', learningRate: options.learningRate ?? 1e-2 },
    [{ variables: s.variables }],
  );
  try {
    await s.startAsync();
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
      coefficients: await s.readAsync(),
      iterations: result.epochs * Math.ceil(problem.x.rows / batchSize),
      converged: result.stopReason === 'epochs',
    };
  } finally {
    optimizer.dispose();
    s.dispose();
  }
}
