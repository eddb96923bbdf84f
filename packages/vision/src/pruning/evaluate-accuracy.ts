import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spred/core';

/**
 * Share of inputs whose arg-max output is the label, predicted in batches (inference mode) so a
 * large test set fits in memory.
 */
export function evaluateAccuracy(
  model: tfl.LayersModel,
  x: tf.Tensor,
  labels: ArrayLike<number>,
  batchSize = 256,
): number {
  const n = x.shape[0] as number;
  if (labels.length !== n) throw new SpredInputError(`${n} inputs but ${labels.length} labels`);
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const predicted = tf.tidy(() => {
      const batch = tf.slice(x, start, size);
      return tf.argMax(model.predict(batch) as tf.Tensor, -1).dataSync();
    });
    for (let i = 0; i < size; i++) if (predicted[i] === labels[start + i]) correct++;
  }
  return correct / n;
}
