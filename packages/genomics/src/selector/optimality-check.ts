import type * as tf from '@tensorflow/tfjs-core';
import type { GeneNetwork } from './gene-network.js';

/** Relative slack of the optimality check, for Adam's inexact minimum. */
export const OPTIMALITY_SLACK = 1.05;

/**
 * The group lasso's optimality condition on the genes whose first-layer row is 0 (`norms`: the
 * network's current {@link GeneNetwork.rowNorms}): ‖∂L/∂V_i‖ ≤ 2κ. Returns the worst ratio
 * ‖∂L/∂V_i‖ / 2κ and the genes above {@link OPTIMALITY_SLACK}, worst first.
 *
 * @example
 * ```ts
 * const { worst, violators } = optimalityCheck(network, network.rowNorms(), x, oneHot, 2 * kappa);
 * ```
 */
export function optimalityCheck(
  network: GeneNetwork,
  norms: Float64Array,
  x: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  twoKappa: number,
): { worst: number; violators: Int32Array } {
  const zero = zeroRows(norms);
  if (zero.length === 0) return { worst: 0, violators: zero };
  return verdict(zero, network.dataGradientNorms(x, oneHot), twoKappa);
}

/**
 * {@link optimalityCheck} with its read awaited, for backends whose synchronous reads throw
 * (WebGPU in Node).
 *
 * @example
 * ```ts
 * const { worst } = await optimalityCheckAsync(network, await network.rowNormsAsync(), x, oneHot, 2 * kappa);
 * ```
 */
export async function optimalityCheckAsync(
  network: GeneNetwork,
  norms: Float64Array,
  x: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  twoKappa: number,
): Promise<{ worst: number; violators: Int32Array }> {
  const zero = zeroRows(norms);
  if (zero.length === 0) return { worst: 0, violators: zero };
  return verdict(zero, await network.dataGradientNormsAsync(x, oneHot), twoKappa);
}

function zeroRows(norms: Float64Array): Int32Array {
  return Int32Array.from(Array.from(norms.keys()).filter((g) => (norms[g] as number) === 0));
}

/** The check's worst ratio and violators, from the gradient norms `all` of every gene. */
function verdict(
  zero: Int32Array,
  all: Float64Array,
  twoKappa: number,
): { worst: number; violators: Int32Array } {
  const ratios = Float64Array.from(zero, (g) => (all[g] as number) / twoKappa);
  const order = Array.from(zero.keys())
    .filter((i) => (ratios[i] as number) > OPTIMALITY_SLACK)
    .sort((a, b) => (ratios[b] as number) - (ratios[a] as number) || a - b);
  return {
    worst: ratios.reduce((m, v) => Math.max(m, v), 0),
    violators: Int32Array.from(order, (i) => zero[i] as number),
  };
}
