import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';
import { normalizeAxes, sizeOf } from '../shape.js';

/**
 * How the entries of a parameter V are grouped. A group shares one scale per scale factor; its
 * penalty acts on the group's Euclidean norm. Single-element groups give plain L1.
 */
export interface GroupStructure {
  readonly kind: 'elements' | 'axes' | 'indices';
  /** Shape of V. */
  readonly shape: readonly number[];
  /** Shape of one value per group, broadcastable against V for `axes` groups. */
  readonly groupShape: readonly number[];
  readonly numGroups: number;
  /** Σ over each group of t² (t has V's shape), in group shape. */
  groupSquaredNorm(t: tf.Tensor): tf.Tensor;
  /** Spreads one value per group over V's shape (broadcastable, or full shape). */
  expand(perGroup: tf.Tensor): tf.Tensor;
  /** Releases tensors the structure owns. */
  dispose(): void;
}

export function elementStructure(shape: readonly number[]): GroupStructure {
  return {
    kind: 'elements',
    shape,
    groupShape: shape,
    numGroups: sizeOf(shape),
    groupSquaredNorm: (t) => tf.square(t),
    expand: (g) => g,
    dispose: () => undefined,
  };
}

/**
 * Groups indexed by `axes`: one group per index combination along those axes, spanning all the
 * other axes. For a dense kernel `[in, out]`, axis 0 groups by input feature (rows) and axis 1 by
 * output neuron (columns); for a conv kernel `[kh, kw, in, out]`, axis 3 groups by filter.
 */
export function axisStructure(
  shape: readonly number[],
  axes: number | readonly number[],
): GroupStructure {
  const kept = normalizeAxes(axes, shape.length);
  const reduced = shape.map((_, i) => i).filter((i) => !kept.includes(i));
  const groupShape = shape.map((n, i) => (kept.includes(i) ? n : 1));
  return {
    kind: 'axes',
    shape,
    groupShape,
    numGroups: sizeOf(groupShape),
    groupSquaredNorm: (t) =>
      reduced.length === 0 ? tf.square(t) : tf.sum(tf.square(t), reduced, true),
    expand: (g) => g,
    dispose: () => undefined,
  };
}

/**
 * Explicit groups: `groups[i]` is the group id (0 … G−1) of the i-th entry of V in row-major
 * order. Group ids that no entry uses are allowed (their group is empty).
 */
export function indexStructure(
  shape: readonly number[],
  groups: ArrayLike<number>,
): GroupStructure {
  const size = sizeOf(shape);
  if (groups.length !== size) {
    throw new SpredInputError(
      `groups has ${groups.length} ids but the parameter has ${size} entries`,
    );
  }
  let numGroups = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as number;
    if (!Number.isInteger(g) || g < 0) {
      throw new SpredInputError(
        `groups[${i}] must be a non-negative integer group id, got ${String(g)}`,
      );
    }
    numGroups = Math.max(numGroups, g + 1);
  }
  const ids = tf.tensor1d(Int32Array.from(groups), 'int32');
  return {
    kind: 'indices',
    shape,
    groupShape: [numGroups],
    numGroups,
    groupSquaredNorm: (t) =>
      tf.unsortedSegmentSum(tf.reshape(tf.square(t), [size]), ids, numGroups),
    expand: (g) => tf.reshape(tf.gather(g, ids), [...shape]),
    dispose: () => ids.dispose(),
  };
}
