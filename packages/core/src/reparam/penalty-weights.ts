import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';
import { sizeOf } from '../shape.js';

/**
 * A penalty strength: one number for all, or one per group (per element for plain L1), as an
 * array or tensor whose size is the number of groups.
 */
export type KappaLike = number | ArrayLike<number> | tf.Tensor;

/**
 * Turns a κ-like value into a tensor of the group shape (or a scalar), checking that every value
 * is positive and finite. `what` names the option in error messages.
 */
export function toWeightTensor(
  value: KappaLike,
  groupShape: readonly number[],
  what: string,
): tf.Tensor {
  if (typeof value === 'number') {
    checkPositive(value, what, undefined);
    return tf.scalar(value);
  }
  const values: ArrayLike<number> = value instanceof tf.Tensor ? value.dataSync() : value;
  const expected = sizeOf(groupShape);
  if (values.length !== expected) {
    const shapeText =
      value instanceof tf.Tensor ? `shape [${value.shape.join(', ')}]` : `length ${values.length}`;
    throw new SpredInputError(
      `${what} has ${shapeText} but needs ${expected} values, one per group (group shape [${groupShape.join(', ')}])`,
    );
  }
  for (let i = 0; i < values.length; i++) checkPositive(values[i] as number, what, i);
  return tf.tensor(Float32Array.from(values), [...groupShape], 'float32');
}

function checkPositive(v: number, what: string, index: number | undefined): void {
  if (!(Number.isFinite(v) && v > 0)) {
    const at = index === undefined ? '' : ` at index ${index}`;
    throw new SpredInputError(`${what} must be positive and finite, got ${String(v)}${at}`);
  }
}
