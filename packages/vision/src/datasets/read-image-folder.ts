import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SpredInputError } from '@spredjs/core';
import { readCifarBatches } from './cifar.js';
import { readIdxDataset, type ImageDataset } from './idx.js';

/** The image classification sets {@link readImageFolder} knows, by their usual names. */
export const IMAGE_DATASETS = ['mnist', 'fashion-mnist', 'cifar10', 'cifar100'] as const;
/** One of {@link IMAGE_DATASETS}. */
export type ImageDatasetName = (typeof IMAGE_DATASETS)[number];

/** The number of classes of each known data set (CIFAR-100: fine labels). */
export const DATASET_CLASSES: Readonly<Record<ImageDatasetName, number>> = {
  mnist: 10,
  'fashion-mnist': 10,
  cifar10: 10,
  cifar100: 100,
};

/** The first of `names` that exists in `dir` (gzipped or not), or an error listing what was looked for. */
function findFile(dir: string, names: readonly string[]): string {
  const candidates = names.flatMap((n) => [join(dir, n), join(dir, `${n}.gz`)]);
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined)
    throw new SpredInputError(`${dir}: no ${names.join(' or ')} (also looked for .gz)`);
  return found;
}

/**
 * Reads the train or test split of a data set from the folder its distribution unpacks to:
 * MNIST / Fashion-MNIST as `train-images-idx3-ubyte[.gz]` + labels (test: `t10k-…`), CIFAR-10 as
 * `data_batch_1.bin`…`data_batch_5.bin` / `test_batch.bin`, CIFAR-100 as `train.bin` / `test.bin`
 * (fine labels); a `cifar-10-batches-bin/` or `cifar-100-binary/` subfolder is looked into too.
 *
 * @example
 * ```ts
 * const train = readImageFolder('fashion-mnist', '../shared/data/fashion-mnist', 'train');
 * ```
 */
export function readImageFolder(
  dataset: ImageDatasetName,
  dir: string,
  split: 'train' | 'test',
): ImageDataset {
  if (!existsSync(dir)) throw new SpredInputError(`${dir}: no such folder`);
  if (dataset === 'mnist' || dataset === 'fashion-mnist') {
    const prefix = split === 'train' ? 'train' : 't10k';
    return readIdxDataset(
      findFile(dir, [`${prefix}-images-idx3-ubyte`, `${prefix}-images.idx3-ubyte`]),
      findFile(dir, [`${prefix}-labels-idx1-ubyte`, `${prefix}-labels.idx1-ubyte`]),
    );
  }
  const sub = join(dir, dataset === 'cifar10' ? 'cifar-10-batches-bin' : 'cifar-100-binary');
  const root = existsSync(sub) ? sub : dir;
  const names =
    dataset === 'cifar100'
      ? [`${split}.bin`]
      : split === 'train'
        ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`)
        : ['test_batch.bin'];
  const paths = names.map((n) => join(root, n));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0)
    throw new SpredInputError(
      `${root}: no ${missing.map((p) => p.slice(root.length + 1)).join(', ')}`,
    );
  return readCifarBatches(paths, {
    variant: dataset,
    ...(dataset === 'cifar100' ? { label: 'fine' as const } : {}),
  });
}
