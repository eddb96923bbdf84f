import type * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';

/** The options {@link checkTrainOptions} checks (a slice of `TrainOptions`). */
export interface CheckedTrainOptions {
  readonly epochs: number;
  readonly data?: readonly tf.Tensor[];
  readonly batchSize?: number;
  readonly checkpoint?: { readonly every?: number };
  readonly swapParameters?: unknown;
}

/** Rejects options the training loop cannot run, with a message naming what is wrong. */
export function checkTrainOptions(options: CheckedTrainOptions): void {
  if (!Number.isInteger(options.epochs) || options.epochs < 0) {
    throw new SpredInputError(
      `epochs must be a non-negative integer, got ${String(options.epochs)}`,
    );
  }
  const data = options.data ?? [];
  const n = data[0]?.shape[0];
  data.forEach((t, i) => {
    if (t.rank === 0 || t.shape[0] !== n) {
      throw new SpredInputError(
        `data[${i}] has ${t.shape[0] ?? 'no'} rows but data[0] has ${n}: every data tensor needs one row per sample`,
      );
    }
  });
  if (
    options.batchSize !== undefined &&
    (!Number.isInteger(options.batchSize) || options.batchSize < 1)
  ) {
    throw new SpredInputError(
      `batchSize must be a positive integer, got ${String(options.batchSize)}`,
    );
  }
  if (options.batchSize !== undefined && data.length === 0)
    throw new SpredInputError('batchSize needs data to split into batches');
  const every = options.checkpoint?.every ?? 1;
  if (!Number.isInteger(every) || every < 1)
    throw new SpredInputError(`checkpoint.every must be a positive integer, got ${String(every)}`);
  if (options.checkpoint !== undefined && options.swapParameters !== undefined)
    throw new SpredInputError(
      'checkpoint cannot be combined with swapParameters: a resumed run would not know which parameter set was in use',
    );
}
