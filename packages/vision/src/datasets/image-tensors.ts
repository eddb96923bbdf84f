import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';
import type { ImageDataset } from './idx.js';

/** Per-channel mean and standard deviation of pixel values scaled to [0, 1]. */
export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Per-channel mean and sd of a data set's first `count` images, pixels scaled to [0, 1] (fit on the training split). */
export function channelStats(dataset: ImageDataset, count = dataset.count): ChannelStats {
  const c = dataset.channels;
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  const n = Math.min(count, dataset.count) * dataset.height * dataset.width;
  for (let i = 0; i < n * c; i++) {
    const v = (dataset.images[i] as number) / 255;
    sum[i % c] = (sum[i % c] as number) + v;
    sq[i % c] = (sq[i % c] as number) + v * v;
  }
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, k) =>
    Math.sqrt(Math.max(s / n - (mean[k] as number) ** 2, 1e-12)),
  );
  return { mean, std };
}

/** A data set as tensors: images [N, H, W, C] (float32, normalized), one-hot labels and the labels. */
export interface ImageTensors {
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor2D;
  readonly labels: Int32Array;
  readonly classes: number;
}

/**
 * Turns images `start … start + count` of a data set into tensors: pixels scaled to [0, 1], then
 * standardized per channel with `stats` (from {@link channelStats} on the training split) when
 * given; labels one-hot over `classes`. The caller owns (and disposes) `x` and `y`.
 */
export function imageTensors(
  dataset: ImageDataset,
  options: { classes: number; start?: number; count?: number; stats?: ChannelStats },
): ImageTensors {
  const start = options.start ?? 0;
  const count = Math.min(options.count ?? dataset.count - start, dataset.count - start);
  if (!(count > 0))
    throw new SpredInputError(`no images from ${start} in a data set of ${dataset.count}`);
  const { height: h, width: w, channels: c } = dataset;
  const pixels = h * w * c;
  const values = new Float32Array(count * pixels);
  const mean = options.stats?.mean ?? new Array<number>(c).fill(0);
  const std = options.stats?.std ?? new Array<number>(c).fill(1);
  for (let i = 0; i < values.length; i++) {
    const k = i % c;
    values[i] =
      ((dataset.images[start * pixels + i] as number) / 255 - (mean[k] as number)) /
      (std[k] as number);
  }
  const labels = Int32Array.from(dataset.labels.subarray(start, start + count));
  const bad = labels.findIndex((l) => l >= options.classes);
  if (bad >= 0)
    throw new SpredInputError(
      `image ${start + bad} has label ${labels[bad]}, but the data set has ${options.classes} classes`,
    );
  return {
    x: tf.tensor4d(values, [count, h, w, c]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), options.classes)) as tf.Tensor2D,
    labels,
    classes: options.classes,
  };
}
