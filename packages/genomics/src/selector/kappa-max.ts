import * as tf from '@tensorflow/tfjs-core';
import { euclideanRowNorms } from './working-set.js';

/**
 * κ_max of the spred gene selector: the smallest κ at which the network with every first-layer
 * row zero (and zero biases) satisfies the group lasso's optimality condition, ‖∂L/∂V_i‖ ≤ 2κ for
 * every gene. There only the linear head has a gradient (the MLP head's ReLUs are off), so
 * κ_max = max_i ‖x_iᵀ(softmax(0) − Y)‖ / 2n, the group-lasso α_max of the linear head. A κ grid
 * relative to it (glmnet's λ/λ_max) means the same on every data set.
 *
 * @example
 * ```ts
 * const kappas = [0.9, 0.5, 0.2].map((r) => r * kappaMax(x, labels, 2));
 * ```
 */
export function kappaMax(x: tf.Tensor2D, labels: Int32Array, classes: number): number {
  return largest(linearHeadGradientNorms(x, labels, classes)) / 2;
}

/**
 * {@link kappaMax} read through `await data()`, for backends whose synchronous reads throw
 * (WebGPU in Node).
 *
 * @example
 * ```ts
 * const top = await kappaMaxAsync(x, labels, 2);
 * ```
 */
export async function kappaMaxAsync(
  x: tf.Tensor2D,
  labels: Int32Array,
  classes: number,
): Promise<number> {
  return largest(await linearHeadGradientNormsAsync(x, labels, classes)) / 2;
}

function largest(values: Float64Array): number {
  return values.reduce((m, v) => Math.max(m, v), 0);
}

/**
 * ‖∂L/∂V_i‖ at V = 0 (zero biases) for every gene: the linear head's ‖x_iᵀ(softmax(0) − Y)‖ / n,
 * the quantity the group lasso's optimality condition compares with 2κ when no gene is in use.
 * The genes above 2κ are where a cold start begins.
 */
export function linearHeadGradientNorms(
  x: tf.Tensor2D,
  labels: Int32Array,
  classes: number,
): Float64Array {
  const norms = linearHeadGradientNormsTensor(x, labels, classes);
  try {
    return Float64Array.from(norms.dataSync());
  } finally {
    norms.dispose();
  }
}

/**
 * {@link linearHeadGradientNorms} read through `await data()` (for WebGPU in Node).
 *
 * @example
 * ```ts
 * const norms = await linearHeadGradientNormsAsync(x, labels, 2); // one per gene
 * ```
 */
export async function linearHeadGradientNormsAsync(
  x: tf.Tensor2D,
  labels: Int32Array,
  classes: number,
): Promise<Float64Array> {
  const norms = linearHeadGradientNormsTensor(x, labels, classes);
  try {
    return Float64Array.from(await norms.data());
  } finally {
    norms.dispose();
  }
}

function linearHeadGradientNormsTensor(
  x: tf.Tensor2D,
  labels: Int32Array,
  classes: number,
): tf.Tensor {
  return tf.tidy(() => {
    const n = x.shape[0];
    const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
    const residual = tf.sub(tf.fill([n, classes], 1 / classes), oneHot);
    return euclideanRowNorms(tf.div(tf.matMul(x, residual, true, false), n));
  });
}
