import * as tf from '@tensorflow/tfjs-core';
import { grouped, hadamard, type Reparametrization } from '@spredjs/core';

/**
 * Which entries of a kernel share a scale: 'elementwise' (L1 on every weight), 'neurons' (one
 * scale per output unit / conv filter — the last axis — so whole neurons or filters vanish),
 * 'inputs' (one scale per input feature of a dense kernel: feature selection).
 */
export type SpredStructure = 'elementwise' | 'neurons' | 'inputs';

/** The axis of a kernel of this rank that indexes the groups (undefined for elementwise). */
export function groupAxis(rank: number, structure: SpredStructure): number | undefined {
  if (structure === 'elementwise') return undefined;
  return structure === 'neurons' ? rank - 1 : rank - 2;
}

/** Shape of the scale factor U for a kernel of `shape` (W always has `shape`). */
export function scaleShape(shape: readonly number[], structure: SpredStructure): number[] {
  const axis = groupAxis(shape.length, structure);
  return axis === undefined ? [...shape] : shape.map((n, i) => (i === axis ? n : 1));
}

/**
 * A @spredjs/core parametrization holding `kernel`, for its right inverse and collapse; built
 * first and assigned with `assignAsync`, so it reads nothing synchronously (WebGPU in Node).
 */
async function parametrization(
  kernel: tf.Tensor,
  structure: SpredStructure,
): Promise<Reparametrization> {
  const axis = groupAxis(kernel.rank, structure);
  const p =
    axis === undefined
      ? hadamard(kernel.shape, { kappa: 1 })
      : grouped(kernel.shape, { axis, kappa: 1 });
  try {
    await p.assignAsync(kernel);
    return p;
  } catch (error) {
    p.dispose();
    throw error;
  }
}

/**
 * The balanced factorization (U, W) of a trained kernel, from @spredjs/core's `assignAsync`: U ⊙ W
 * is the kernel, and the layer's penalty κ(‖U‖² + ‖W‖²) is 2κ times its (group) L1 norm.
 *
 * @example
 * ```ts
 * const [u, w] = await balancedFactors(kernel, 'neurons'); // u: [1, units], w: kernel's shape
 * ```
 */
export async function balancedFactors(
  kernel: tf.Tensor,
  structure: SpredStructure,
): Promise<[tf.Tensor, tf.Tensor]> {
  const p = await parametrization(kernel, structure);
  try {
    const [u, w] = p.variables as [tf.Variable, tf.Variable];
    return [tf.clone(u), tf.clone(w)];
  } finally {
    p.dispose();
  }
}

/**
 * The kernel with exact zeros for every group (entry) whose norm is at most `threshold`.
 *
 * @example
 * ```ts
 * const pruned = await collapseKernel(kernel, 'elementwise', 1e-3);
 * ```
 */
export async function collapseKernel(
  kernel: tf.Tensor,
  structure: SpredStructure,
  threshold: number,
): Promise<tf.Tensor> {
  const p = await parametrization(kernel, structure);
  try {
    return p.collapse({ threshold });
  } finally {
    p.dispose();
  }
}
