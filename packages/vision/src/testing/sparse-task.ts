import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '@spredjs/core';

/**
 * 4 classes told apart by 4 of 64 inputs (the rest noise): a sparse model is enough, so a good
 * pruning method keeps accuracy at high compression.
 */
export function sparseTask(n: number, seed: number) {
  const random = mulberry32(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  const x = new Float32Array(n * 64);
  labels.forEach((l, i) => {
    for (let j = 0; j < 64; j++) x[i * 64 + j] = 2 * random() - 1;
    x[i * 64 + l] = (x[i * 64 + l] as number) + 3;
  });
  return {
    x: tf.tensor4d(x, [n, 8, 8, 1]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), 4),
    labels,
  };
}
