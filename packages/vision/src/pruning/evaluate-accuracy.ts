import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';

/**
 * Share of inputs whose arg-max output is the label, predicted in batches (inference mode) so a
 * large test set fits in memory. Reads synchronously: where that throws (WebGPU in Node), use
 * {@link evaluateAccuracyAsync}.
 *
 * @example
 * ```ts
 * const accuracy = evaluateAccuracy(model, test.x, test.labels); // 0.91
 * ```
 */
export function evaluateAccuracy(
  model: tfl.LayersModel,
  x: tf.Tensor,
  labels: ArrayLike<number>,
  batchSize = 256,
): number {
  const correct = correctCount(model, x, labels, batchSize);
  try {
    return (correct.dataSync()[0] as number) / labels.length;
  } finally {
    correct.dispose();
  }
}

/**
 * {@link evaluateAccuracy} with its one read through `await data()`, for backends whose
 * synchronous reads throw (WebGPU in Node).
 *
 * @example
 * ```ts
 * const accuracy = await evaluateAccuracyAsync(model, test.x, test.labels);
 * ```
 */
export async function evaluateAccuracyAsync(
  model: tfl.LayersModel,
  x: tf.Tensor,
  labels: ArrayLike<number>,
  batchSize = 256,
): Promise<number> {
  const correct = correctCount(model, x, labels, batchSize);
  try {
    return ((await correct.data())[0] as number) / labels.length;
  } finally {
    correct.dispose();
  }
}

/** The number of inputs whose arg-max output is the label, as an int32 scalar (nothing read). */
function correctCount(
  model: tfl.LayersModel,
  x: tf.Tensor,
  labels: ArrayLike<number>,
  batchSize: number,
): tf.Scalar {
  const n = x.shape[0] as number;
  if (labels.length !== n) throw new SpredInputError(`${n} inputs but ${labels.length} labels`);
  return tf.tidy(() => {
    // float32 holds every class index exactly, and a label that is no index matches nothing.
    const truth = tf.tensor1d(Float32Array.from(labels), 'float32');
    let correct: tf.Scalar = tf.scalar(0, 'int32');
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const next = tf.tidy(() => {
        const predicted = tf.argMax(model.predict(tf.slice(x, start, size)) as tf.Tensor, -1);
        const same = tf.equal(tf.cast(predicted, 'float32'), tf.slice(truth, start, size));
        const hits = tf.sum(tf.cast(same, 'int32'));
        return tf.add(correct, hits) as tf.Scalar;
      });
      correct.dispose();
      correct = next;
    }
    return correct;
  });
}

/**
 * The arg-max class of every input, predicted in batches (inference mode), read with
 * `await data()`: for comparing two models image for image.
 *
 * @example
 * ```ts
 * const before = await predictClasses(model, test.x);
 * const after = await predictClasses(await loadModel('export/model.json'), test.x);
 * ```
 */
export async function predictClasses(
  model: tfl.LayersModel,
  x: tf.Tensor,
  batchSize = 256,
): Promise<Int32Array> {
  const n = x.shape[0] as number;
  const classes = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const predicted = tf.tidy(() =>
      tf.argMax(model.predict(tf.slice(x, start, size)) as tf.Tensor, -1),
    );
    classes.set(await predicted.data(), start);
    predicted.dispose();
  }
  return classes;
}
