import * as tf from '@tensorflow/tfjs-core';
import { fisherYates, mulberry32 } from '@spredjs/core';
import { readNpy, type NpyArray } from '@spredjs/io';
import {
  channelStats,
  DATASET_CLASSES,
  imageTensors,
  readClassFolders,
  readImageFolder,
  type LogitsClassifier,
} from '@spredjs/vision';
import { CliInputError } from '../io/cli-input-error.js';
import type { PruneFlags } from './prune.js';

/** The data of one `spred prune` run, as tensors on the current backend. */
export interface PruneData {
  /** Training inputs and one-hot labels. */
  readonly train: { readonly x: tf.Tensor; readonly y: tf.Tensor };
  /** The held-out inputs accuracy is measured on, and their labels. */
  readonly test: { readonly x: tf.Tensor; readonly labels: Int32Array };
  readonly classes: number;
  /** The shape of one input sample as the model takes it. */
  readonly sampleShape: readonly number[];
  /** What the data are, for the log line and result.json: the data set's name or the --x file. */
  readonly name: string;
  /** Whether CIFAR-style augmentation (crop, flip) is the default for these data. */
  readonly augmentByDefault: boolean;
  /** The class names of `--images` (its subfolders): label k is `classNames[k]`. */
  readonly classNames?: readonly string[];
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const shapeText = (shape: readonly number[]) => `(${shape.join(', ')})`;

/**
 * The shape one sample takes for `model` (a user's classifier) or, for a built-in model, the
 * data's own (an image without a channel axis gets one). A user's model may take the sample
 * flattened or reshaped, as long as the sizes agree.
 */
function sampleShapeFor(
  given: readonly number[],
  model: LogitsClassifier | undefined,
  source: string,
): number[] {
  if (model === undefined) return given.length === 2 ? [...given, 1] : [...given];
  if (product(given) !== product(model.inputShape))
    throw new CliInputError(
      `${source}: a sample has shape ${shapeText(given)}, the model's input is ${shapeText(model.inputShape)}`,
    );
  return [...model.inputShape];
}

/** Dense tensors from the rows `rows` of an (n, d) float array. */
function takeRows(values: Float32Array, d: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((row, k) => out.set(values.subarray(row * d, (row + 1) * d), k * d));
  return out;
}

/** The inputs of --x as float32, times `scale`; every value checked finite. */
function inputValues(x: NpyArray, path: string, scale: number): Float32Array {
  const { data } = x;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array)
    throw new CliInputError(
      `${path}: dtype ${x.dtype} is not supported for inputs (float or integer up to 32 bits)`,
    );
  const values = Float32Array.from(data as ArrayLike<number>, (v) => v * scale);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const d = product(x.shape.slice(1));
    throw new CliInputError(
      `${path}: sample ${Math.floor(bad / d)}, element ${bad % d}: expected a finite number, got ${String(data[bad])}`,
    );
  }
  return values;
}

/** The labels of --y: integers 0…classes−1, one per sample. */
function labelValues(
  y: NpyArray,
  path: string,
  samples: number,
  classes: number | undefined,
): Int32Array {
  const { shape, data } = y;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1)))
    throw new CliInputError(
      `${path}: expected one label per sample (shape (n,) or (n, 1)), got shape ${shapeText(shape)}`,
    );
  if (shape[0] !== samples)
    throw new CliInputError(`${path}: ${shape[0]} labels, but --x has ${samples} samples`);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const v = Number(data[i]);
    if (!(Number.isInteger(v) && v >= 0))
      throw new CliInputError(
        `${path}: element ${i} is ${String(data[i])}, not a class label (an integer ≥ 0)`,
      );
    if (classes !== undefined && v >= classes)
      throw new CliInputError(
        `${path}: element ${i} is label ${v}, but the model has ${classes} classes (0…${classes - 1})`,
      );
    labels[i] = v;
  }
  return labels;
}

/**
 * `--x X.npy --y y.npy`: the samples split at random (seeded by `--seed`) into training and a
 * held-out `--validation-split` share.
 */
function npyData(flags: PruneFlags, model: LogitsClassifier | undefined): PruneData {
  const xPath = flags.x as string;
  const yPath = flags.y as string;
  const x = readNpy(xPath);
  if (x.shape.length < 2)
    throw new CliInputError(
      `${xPath}: expected one sample per row (a 2-D or higher array), got shape ${shapeText(x.shape)}`,
    );
  const labels = labelValues(readNpy(yPath), yPath, x.shape[0] as number, model?.classes);
  const classes = model?.classes ?? labels.reduce((m, l) => Math.max(m, l), 0) + 1;
  if (classes < 2)
    throw new CliInputError(`${yPath}: every label is 0; a classifier needs two classes or more`);
  return heldOut(flags, model, x, xPath, labels, classes);
}

/**
 * `--images DIR` (one subfolder per class, PNG or JPEG): 8-bit pixels, 3 channels, or 1 where the
 * user's model takes one (an input of shape (h, w, 1) or (h·w)); split like `--x`.
 */
function folderData(flags: PruneFlags, model: LogitsClassifier | undefined): PruneData {
  const dir = flags.images as string;
  const shape = model?.inputShape ?? [];
  const channels = shape.length === 3 ? shape[2] : 3;
  if (channels !== 1 && channels !== 3)
    throw new CliInputError(
      `--images ${dir}: the model takes ${channels} channels; images give 1 (gray) or 3 (RGB)`,
    );
  let read = readClassFolders(dir, { channels });
  const { height, width } = read.dataset;
  if (model !== undefined && shape.length !== 3 && product(shape) === height * width)
    read = readClassFolders(dir, { channels: 1 }); // a flat input of one value per pixel
  const { dataset, classes } = read;
  if (model !== undefined && model.classes !== classes.length)
    throw new CliInputError(
      `--images ${dir}: ${classes.length} class folders (${classes.join(', ')}), but the model has ${model.classes} outputs`,
    );
  const x: NpyArray = {
    shape: [dataset.count, height, width, dataset.channels],
    dtype: 'uint8',
    data: dataset.images,
  };
  const labels = Int32Array.from(dataset.labels);
  return { ...heldOut(flags, model, x, dir, labels, classes.length), classNames: classes };
}

/** Inputs and labels split at random (seeded by `--seed`) into training and a held-out share. */
function heldOut(
  flags: PruneFlags,
  model: LogitsClassifier | undefined,
  x: NpyArray,
  xPath: string,
  labels: Int32Array,
  classes: number,
): PruneData {
  const n = x.shape[0] as number;
  const sampleShape = sampleShapeFor(x.shape.slice(1), model, xPath);
  const values = inputValues(x, xPath, flags.inputScale);
  const order = Array.from({ length: n }, (_, i) => i);
  fisherYates(order, mulberry32(flags.seed));
  const nTest = Math.round(flags.validationSplit * n);
  if (nTest < 1 || n - nTest < 2)
    throw new CliInputError(
      `${xPath}: ${n} samples: --validation-split ${flags.validationSplit} leaves ${n - nTest} for training and ${nTest} held out (need at least 2 and 1)`,
    );
  const testRows = order.slice(0, nTest).sort((a, b) => a - b);
  const trainRows = order.slice(nTest).sort((a, b) => a - b);
  const d = product(sampleShape);
  const trainLabels = Int32Array.from(trainRows, (r) => labels[r] as number);
  return {
    train: {
      x: tf.tensor(takeRows(values, d, trainRows), [trainRows.length, ...sampleShape]),
      y: tf.tidy(() => tf.oneHot(tf.tensor1d(trainLabels, 'int32'), classes)),
    },
    test: {
      x: tf.tensor(takeRows(values, d, testRows), [testRows.length, ...sampleShape]),
      labels: Int32Array.from(testRows, (r) => labels[r] as number),
    },
    classes,
    sampleShape,
    name: xPath,
    augmentByDefault: false,
  };
}

/** `--dataset name --data dir`: its training and test images, standardized per channel. */
function namedData(flags: PruneFlags, model: LogitsClassifier | undefined): PruneData {
  const dir = flags.data as string;
  const trainSet = readImageFolder(flags.dataset, dir, 'train');
  const testSet = readImageFolder(flags.dataset, dir, 'test');
  const classes = DATASET_CLASSES[flags.dataset];
  if (model !== undefined && model.classes !== classes)
    throw new CliInputError(
      `--model: the model has ${model.classes} outputs, but ${flags.dataset} has ${classes} classes`,
    );
  const nTrain = Math.min(flags.trainSamples, trainSet.count);
  if (nTrain < 2)
    throw new CliInputError(
      `${dir}: ${nTrain} training image${nTrain === 1 ? '' : 's'}: a fit needs at least two`,
    );
  const stats = channelStats(trainSet, nTrain);
  const imageShape = [trainSet.height, trainSet.width, trainSet.channels];
  const sampleShape = sampleShapeFor(imageShape, model, dir);
  const train = imageTensors(trainSet, { classes, count: nTrain, stats });
  const test = imageTensors(testSet, {
    classes,
    count: Math.min(flags.testSamples, testSet.count),
    stats,
  });
  const shaped = (t: tf.Tensor) => {
    if (
      sampleShape.length === imageShape.length &&
      sampleShape.every((n, i) => n === imageShape[i])
    )
      return t;
    const reshaped = tf.reshape(t, [t.shape[0] as number, ...sampleShape]);
    t.dispose();
    return reshaped;
  };
  test.y.dispose();
  return {
    train: { x: shaped(train.x), y: train.y },
    test: { x: shaped(test.x), labels: Int32Array.from(test.labels) },
    classes,
    sampleShape,
    name: flags.dataset,
    augmentByDefault: flags.dataset.startsWith('cifar'),
  };
}

/**
 * The data of `spred prune`: `--data` (a named image data set) or `--x`/`--y` (.npy), checked
 * against `model` (a user's classifier: its input shape and number of classes) before any
 * training; one-line errors name the file and what is wrong.
 *
 * @example
 * ```ts
 * const data = pruneData(flags, classifier);
 * ```
 */
export function pruneData(flags: PruneFlags, model: LogitsClassifier | undefined): PruneData {
  if (flags.images !== undefined) return folderData(flags, model);
  return flags.x === undefined ? namedData(flags, model) : npyData(flags, model);
}
