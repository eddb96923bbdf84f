import { SpredInputError } from '@spredjs/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** The data a model's loss is certified (or polished) on: all of it, evaluated in batches. */
export interface ModelData {
  /** The model's input(s), samples along the first axis. */
  readonly x: tf.Tensor | readonly tf.Tensor[];
  /** The targets, as for `model.fit` under the model's compiled loss. */
  readonly y: tf.Tensor | readonly tf.Tensor[];
  /**
   * Samples per evaluation batch: memory only, the loss and its gradient are always those of all
   * the data (batch losses summed in float64). Default 1024.
   */
  readonly batchSize?: number;
}

/** A loss function tfjs-layers compiled for one output: per-sample losses. */
type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * The model's compiled loss on all of `data`, as one closure per batch (each batch's summed
 * per-sample loss over n, so they add up to the mean), evaluated in inference mode (dropout off,
 * batch norm on its moving statistics): the deterministic function the model computes. Also
 * checks that x and y fit the model and are finite, before anything is computed.
 */
export async function modelDataLoss(
  model: tfl.LayersModel,
  data: ModelData,
): Promise<(() => tf.Scalar)[]> {
  // a Sequential keeps its compiled loss on the LayersModel it wraps
  const compiled = model as unknown as {
    lossFunctions?: LossFn[];
    model?: { lossFunctions?: LossFn[] };
  };
  const lossFunctions = compiled.lossFunctions ?? compiled.model?.lossFunctions;
  if (lossFunctions === undefined || lossFunctions.length === 0)
    throw new SpredInputError(
      'the model is not compiled: compile it with its loss (model.compile({ optimizer, loss })) so that its loss can be certified',
    );
  const xs = Array.isArray(data.x) ? [...data.x] : [data.x as tf.Tensor];
  const ys = Array.isArray(data.y) ? [...data.y] : [data.y as tf.Tensor];
  if (xs.length !== model.inputs.length)
    throw new SpredInputError(
      `x has ${xs.length} tensors but the model has ${model.inputs.length} inputs`,
    );
  if (ys.length !== model.outputs.length)
    throw new SpredInputError(
      `y has ${ys.length} tensors but the model has ${model.outputs.length} outputs`,
    );
  const n = (xs[0] as tf.Tensor).shape[0] as number;
  xs.forEach((x, k) => {
    const expected = (model.inputs[k] as tfl.SymbolicTensor).shape;
    const fits =
      x.rank === expected.length &&
      expected.every((size, axis) => axis === 0 || size === null || size === x.shape[axis]);
    if (!fits)
      throw new SpredInputError(
        `x has shape [${x.shape.join(', ')}] but the model's input ${k} expects [${expected.map((s) => s ?? 'n').join(', ')}]`,
      );
    if (x.shape[0] !== n)
      throw new SpredInputError(`x tensors have ${x.shape[0]} and ${n} samples: they must agree`);
  });
  ys.forEach((y, k) => {
    if (y.shape[0] !== n)
      throw new SpredInputError(`y has ${y.shape[0] ?? 0} samples but x has ${n}`);
    // as model.fit checks its targets: y has the output's shape (sparse losses take class ids)
    const expected = (model.outputs[k] as tfl.SymbolicTensor).shape;
    const sparse = /sparse/i.test((lossFunctions[k] as LossFn).name);
    const fits =
      sparse ||
      (y.rank === expected.length &&
        expected.every((size, axis) => axis === 0 || size === null || size === y.shape[axis]));
    if (!fits)
      throw new SpredInputError(
        `y has shape [${y.shape.join(', ')}] but the model's output ${k} has shape [${expected.map((s) => s ?? 'n').join(', ')}]`,
      );
  });
  if (!(n > 0)) throw new SpredInputError('x has no samples');
  const batchSize = data.batchSize ?? 1024;
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new SpredInputError(
      `batchSize must be a positive integer, got ${String(data.batchSize)}`,
    );
  for (const [what, tensors] of [
    ['x', xs],
    ['y', ys],
  ] as const) {
    const finite = tf.tidy(() =>
      tf.cast(tf.stack(tensors.map((t) => tf.all(tf.isFinite(t)))), 'int32'),
    );
    const flags = Array.from(await finite.data());
    finite.dispose();
    if (flags.some((f) => f === 0)) throw new SpredInputError(`${what} has NaN or Infinity values`);
  }

  const slice = (t: tf.Tensor, start: number, size: number) =>
    tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]);
  const batches: (() => tf.Scalar)[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    batches.push(() =>
      tf.tidy(() => {
        const inputs = xs.map((x) => slice(x, start, size));
        const out = model.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs, {
          training: false,
        }) as tf.Tensor | tf.Tensor[];
        const outputs = Array.isArray(out) ? out : [out];
        const terms = outputs.map((o, k) => {
          try {
            return tf.sum((lossFunctions[k] as LossFn)(slice(ys[k] as tf.Tensor, start, size), o));
          } catch (error) {
            throw new SpredInputError(
              `y of shape [${(ys[k] as tf.Tensor).shape.join(', ')}] does not fit the model's output of shape [${o.shape.join(', ')}] under its loss (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
            );
          }
        });
        return tf.div(
          terms.length === 1 ? (terms[0] as tf.Tensor) : tf.addN(terms),
          n,
        ) as tf.Scalar;
      }),
    );
  }
  return batches;
}
