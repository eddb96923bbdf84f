import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';

/**
 * The smooth part L of an objective, on all the data: one closure, or one closure per mini-batch
 * whose values add up to L (e.g. each batch's summed loss over n). Gradients of a list are
 * accumulated in float64, so a certificate never rests on one batch's noise. The closures hold
 * the data fit and any smooth regularizer, never the spred penalties κ(‖U‖² + ‖W‖²): the L1 part
 * is what the certificate and `polish` treat exactly.
 */
export type DataLoss = (() => tf.Scalar) | readonly (() => tf.Scalar)[];

/** L and ∇L at the variables' current values, as one flat float64 vector in `variables` order. */
export interface LossEvaluation {
  readonly value: number;
  readonly gradient: Float64Array;
}

/**
 * Evaluates L and its gradient with respect to `variables` (read with `await data()`, so it runs
 * where synchronous reads throw). A variable the loss does not depend on gets a zero gradient; a
 * loss that depends on none of them, or that is not a scalar, is a {@link SpredInputError}.
 * Non-finite values are returned as they are: the caller decides.
 *
 * @example
 * ```ts
 * const { value, gradient } = await evaluateDataLoss(() => tf.sum(tf.square(v)), [v]);
 * ```
 */
export async function evaluateDataLoss(
  loss: DataLoss,
  variables: readonly tf.Variable[],
): Promise<LossEvaluation> {
  const closures = typeof loss === 'function' ? [loss] : loss;
  if (closures.length === 0) throw new SpredInputError('the loss has no batches');
  const offsets = variableOffsets(variables);
  const gradient = new Float64Array(offsets.total);
  let value = 0;
  for (const closure of closures) {
    const { value: v, grads } = variableGrads(closure, variables);
    try {
      const [scalar, ...parts] = await Promise.all([
        v.data(),
        ...variables.map((variable) => grads[variable.name]?.data()),
      ]);
      value += (scalar as ArrayLike<number>)[0] as number;
      parts.forEach((part, k) => {
        if (part === undefined) return;
        const at = offsets.at[k] as number;
        for (let i = 0; i < part.length; i++)
          gradient[at + i] = (gradient[at + i] as number) + (part[i] as number);
      });
    } finally {
      v.dispose();
      tf.dispose(grads);
    }
  }
  return { value, gradient };
}

/** `tf.variableGrads` with its failures said in terms of the loss. */
function variableGrads(
  closure: () => tf.Scalar,
  variables: readonly tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const trainable = variables.filter((v) => v.trainable);
  if (trainable.length === 0) throw new SpredInputError('the loss has no trainable variable');
  try {
    return tf.variableGrads(() => {
      const value = closure();
      if (!(value instanceof tf.Tensor) || value.rank !== 0)
        throw new SpredInputError(
          `the loss must return a scalar tensor, got ${value instanceof tf.Tensor ? `shape [${value.shape.join(', ')}]` : typeof value}`,
        );
      return value;
    }, trainable);
  } catch (error) {
    if (error instanceof SpredInputError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SpredInputError(
      `the loss is not a differentiable function of the variables (${message.split('\n')[0]})`,
    );
  }
}

/** Where each variable starts in the flat vector, and its length. */
export function variableOffsets(variables: readonly tf.Variable[]): {
  readonly at: readonly number[];
  readonly total: number;
} {
  const at: number[] = [];
  let total = 0;
  for (const v of variables) {
    at.push(total);
    total += v.size;
  }
  return { at, total };
}

/** The variables' values as one flat float64 vector (read with `await data()`). */
export async function readVariables(variables: readonly tf.Variable[]): Promise<Float64Array> {
  const { at, total } = variableOffsets(variables);
  const flat = new Float64Array(total);
  const parts = await Promise.all(variables.map((v) => v.data()));
  parts.forEach((part, k) => flat.set(part, at[k] as number));
  return flat;
}

/** Writes a flat vector (in `variables` order) into the variables, as float32. */
export function writeVariables(variables: readonly tf.Variable[], flat: Float64Array): void {
  let at = 0;
  for (const v of variables) {
    const slice = Float32Array.from(flat.subarray(at, at + v.size));
    at += v.size;
    tf.tidy(() => v.assign(tf.tensor(slice, v.shape, 'float32')));
  }
}
