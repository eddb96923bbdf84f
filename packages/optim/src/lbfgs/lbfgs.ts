import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';
import type { Evaluation } from './line-search.js';
import {
  minimizeLbfgs,
  minimizeLbfgsAsync,
  type LbfgsOptions,
  type LbfgsResult,
} from './minimize-lbfgs.js';

/** What {@link lbfgs} returns: the L-BFGS report, with the variables left at the solution. */
export type LbfgsTrainResult = Omit<LbfgsResult, 'x' | 'gradient'>;

/**
 * Full-batch L-BFGS on a smooth tfjs objective over a list of variables (e.g. the factors of
 * spred parametrizations plus dense weights). The variables are read into one float64 vector,
 * the search runs in float64, and each evaluation writes the point back and calls `loss` under
 * `tf.variableGrads`; the variables hold the best point found on return. Defaults suit float32
 * objectives: `functionNoise` 1e-6 and no objective-change stop (set them to override).
 *
 * @example
 * ```ts
 * const coef = hadamard([d, 1], { kappa: alpha / 2 });
 * const report = lbfgs(() => tf.add(datafit(coef.value()), coef.penalty()), coef.variables, { gradientTolerance: 1e-6 });
 * report.stopReason; // 'gradient'
 * ```
 */
export function lbfgs(
  loss: () => tf.Scalar,
  variables: readonly tf.Variable[],
  options: LbfgsOptions = {},
): LbfgsTrainResult {
  const problem = tensorProblem(variables);
  const x0 = new Float64Array(problem.total);
  let offset = 0;
  for (const v of variables) {
    x0.set(v.dataSync(), offset);
    offset += v.size;
  }
  const result = minimizeLbfgs(
    (x) => {
      problem.write(x);
      const { value, grads } = tf.variableGrads(loss, [...variables]);
      return problem.read(
        value.dataSync()[0] as number,
        variables.map((v) => grads[v.name]?.dataSync()),
        grads,
        value,
      );
    },
    x0,
    { ...FLOAT32_DEFAULTS, ...options },
  );
  problem.write(result.x);
  const { x: _x, gradient: _g, ...report } = result;
  return report;
}

/**
 * {@link lbfgs} with every read awaited (`await data()`): the same iterations, on every backend,
 * including those that only read asynchronously (WebGPU in Node).
 */
export async function lbfgsAsync(
  loss: () => tf.Scalar,
  variables: readonly tf.Variable[],
  options: LbfgsOptions = {},
): Promise<LbfgsTrainResult> {
  const problem = tensorProblem(variables);
  const x0 = new Float64Array(problem.total);
  let offset = 0;
  for (const v of variables) {
    x0.set(await v.data(), offset);
    offset += v.size;
  }
  const result = await minimizeLbfgsAsync(
    async (x) => {
      problem.write(x);
      const { value, grads } = tf.variableGrads(loss, [...variables]);
      const gradients = await Promise.all(variables.map((v) => grads[v.name]?.data()));
      return problem.read((await value.data())[0] as number, gradients, grads, value);
    },
    x0,
    { ...FLOAT32_DEFAULTS, ...options },
  );
  problem.write(result.x);
  const { x: _x, gradient: _g, ...report } = result;
  return report;
}

// float32 objectives: judge tiny steps by their slope, and do not stop because f stopped changing
// (it stops changing at float32 resolution long before the gradient is small).
const FLOAT32_DEFAULTS: LbfgsOptions = { functionNoise: 1e-6, objectiveTolerance: -1 };

/** The variables as one float64 vector: writing a point into them, reading an evaluation back. */
function tensorProblem(variables: readonly tf.Variable[]) {
  if (variables.length === 0) throw new SpredInputError('lbfgs needs at least one variable');
  const total = variables.reduce((a, v) => a + v.size, 0);
  const write = (x: Float64Array) => {
    let at = 0;
    for (const v of variables) {
      const slice = Float32Array.from(x.subarray(at, at + v.size));
      at += v.size;
      tf.tidy(() => v.assign(tf.tensor(slice, v.shape, 'float32')));
    }
  };
  const read = (
    f: number,
    gradients: readonly (ArrayLike<number> | undefined)[],
    grads: tf.NamedTensorMap,
    value: tf.Scalar,
  ): Evaluation => {
    const gradient = new Float64Array(total);
    let at = 0;
    variables.forEach((v, k) => {
      const g = gradients[k];
      if (g !== undefined) gradient.set(g, at);
      at += v.size;
    });
    value.dispose();
    tf.dispose(grads);
    return { value: f, gradient };
  };
  return { total, write, read };
}
