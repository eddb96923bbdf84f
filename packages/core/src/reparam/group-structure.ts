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
  /** The group (0 … numGroups − 1, row-major over the group shape) of every entry of V, row-major. */
  groupIds(): Int32Array;
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
    groupIds: () => Int32Array.from({ length: sizeOf(shape) }, (_, i) => i),
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
    groupIds: () => axisGroupIds(shape, groupShape),
    dispose: () => undefined,
  };
}

/** Row-major group ids of `axes` groups: an entry's index with the reduced axes (size 1 in `groupShape`) dropped. */
function axisGroupIds(shape: readonly number[], groupShape: readonly number[]): Int32Array {
  const ids = new Int32Array(sizeOf(shape));
  const rank = shape.length;
  // stride of each axis in the row-major group index: 0 along the reduced axes (size 1 there)
  const strides = new Array<number>(rank).fill(0);
  for (let a = rank - 1, stride = 1; a >= 0; a--) {
    if ((groupShape[a] as number) > 1) strides[a] = stride;
    stride *= groupShape[a] as number;
  }
  const index = new Array<number>(rank).fill(0);
  let group = 0;
  for (let i = 0; i < ids.length; i++) {
    ids[i] = group;
    for (let a = rank - 1; a >= 0; a--) {
      index[a] = (index[a] as number) + 1;
      group += strides[a] as number;
      if ((index[a] as number) < (shape[a] as number)) break;
      group -= (strides[a] as number) * (shape[a] as number);
      index[a] = 0;
    }
  }
  return ids;
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
    groupIds: () => Int32Array.from(groups),
    dispose: () => ids.dispose(),
  };
}
