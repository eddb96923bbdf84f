import { loadSparseModel } from '@spredjs/layers';
import * as tf from '@tensorflow/tfjs';
import { INPUTS, taskData } from './train-in-browser.js';

/** What the page shows of the exported model it ships (public/model/, made by `spred prune --export`). */
export interface ExportedModelReport {
  /** The backend it ran on. */
  readonly backend: string;
  /** Share of `samples` fresh task inputs (the page's own draw) it classifies right. */
  readonly accuracy: number;
  readonly samples: number;
  /** Inputs whose whole row of the first kernel is exactly zero: the ones it dropped. */
  readonly droppedInputs: number[];
  /** Bytes of model.spred.bin, and of the same weights dense as float32 (the tfjs format). */
  readonly compactBytes: number;
  readonly denseBytes: number;
  /** The compression and held-out accuracy `spred prune` reported for it (its export.json). */
  readonly compression: number;
  readonly reportedAccuracy: number;
  /** The predicted class of each of the `samples` inputs. */
  readonly predictions: number[];
}

/**
 * Loads the compact sparse export at `base` (`model.spred.json` + `model.spred.bin`, and the
 * `export.json` that `spred prune --export` writes beside them) with `loadSparseModel`, an
 * ordinary tfjs model, and runs it on `samples` fresh inputs of the task (seed `seed`).
 *
 * @example
 * ```ts
 * const report = await runExportedModel('./model/');
 * ```
 */
export async function runExportedModel(
  base: string,
  samples = 1000,
  seed = 99,
): Promise<ExportedModelReport> {
  await tf.ready(); // the page's default backend, started before the model is built
  const url = new URL(base, document.baseURI);
  const model = await loadSparseModel(url);
  const record = (await (await fetch(new URL('export.json', url))).json()) as {
    compression: number;
    accuracy: number;
    denseWeightBytes: number;
    compact: { weights: { raw: number } };
  };
  const { x, y } = taskData(samples, seed);
  const predicted = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, -1));
  const truth = tf.argMax(y, -1);
  const [p, t] = await Promise.all([predicted.data(), truth.data()]);
  // the first kernel: [inputs, units] (the units after the export's own pruning)
  const kernel = model.layers.find((l) => l.getWeights().length > 0)?.getWeights()[0];
  if (kernel === undefined) throw new Error(`${url.href}: the model has no kernel`);
  const units = kernel.shape[1] as number;
  const first = (await kernel.data()) as Float32Array;
  tf.dispose([x, y, predicted, truth]);
  model.dispose();
  return {
    backend: tf.getBackend(),
    accuracy: p.filter((c, i) => c === t[i]).length / samples,
    samples,
    droppedInputs: Array.from({ length: INPUTS }, (_, i) => i).filter((i) =>
      first.subarray(i * units, (i + 1) * units).every((v) => v === 0),
    ),
    compactBytes: record.compact.weights.raw,
    denseBytes: record.denseWeightBytes,
    compression: record.compression,
    reportedAccuracy: record.accuracy,
    predictions: Array.from(p),
  };
}
