import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spred/core';
import type { Evaluation } from './line-search.js';
import { minimizeLbfgs, type LbfgsOptions, type LbfgsResult } from './minimize-lbfgs.js';

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
  if (variables.length === 0) throw new SpredInputError('lbfgs needs at least one variable');
  const sizes = variables.map((v) => v.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const x0 = new Float64Array(total);
  let offset = 0;
  for (const v of variables) {
    x0.set(v.dataSync(), offset);
    offset += v.size;
  }
  const write = (x: Float64Array) => {
    let at = 0;
    for (const v of variables) {
      const slice = Float32Array.from(x.subarray(at, at + v.size));
      at += v.size;
      tf.tidy(() => v.assign(tf.tensor(slice, v.shape, 'float32')));
    }
  };
  const evaluate = (x: Float64Array): Evaluation => {
    write(x);
    const { value, grads } = tf.variableGrads(loss, [...variables]);
    const gradient = new Float64Array(total);
    let at = 0;
    for (const v of variables) {
      const g = grads[v.name];
      if (g !== undefined) gradient.set(g.dataSync(), at);
      at += v.size;
    }
    const f = value.dataSync()[0] as number;
    value.dispose();
    tf.dispose(grads);
    return { value: f, gradient };
  };
  // float32 objectives: judge tiny steps by their slope, and do not stop because f stopped changing
  // (it stops changing at float32 resolution long before the gradient is small).
  const result = minimizeLbfgs(evaluate, x0, {
    functionNoise: 1e-6,
    objectiveTolerance: -1,
    ...options,
  });
  write(result.x);
  const { x: _x, gradient: _g, ...report } = result;
  return report;
}
