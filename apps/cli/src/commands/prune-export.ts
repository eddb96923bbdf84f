import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadModel, saveModel } from '@spredjs/io';
import { encodeSparseModel, loadSparseModel, shrinkModel } from '@spredjs/layers';
import {
  predictClasses,
  withOutputActivation,
  type OutputActivation,
  type PrunePoint,
} from '@spredjs/vision';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import type { PruneFlags } from './prune.js';

/** What every export of one run shares. */
export interface ExportContext {
  /** `--out`/export. */
  readonly folder: string;
  readonly structure: PruneFlags['structure'];
  readonly quantize: PruneFlags['quantize'];
  /** The user's model's output (the curve trains logits): put back before saving. */
  readonly outputActivation: OutputActivation;
  /** The held-out inputs and labels each export is checked on. */
  readonly test: { readonly x: tf.Tensor; readonly labels: Int32Array };
}

/** Sizes in bytes of one file: as written, and after gzip -9 (and brotli, quality 11). */
export interface FileBytes {
  readonly raw: number;
  readonly gzip: number;
  readonly brotli: number;
}

/** One exported point, as export.json and result.json's `exports` record it. */
export interface ExportRecord {
  /** The folder under `--out`/export: 'certified', 't<threshold>' or 'c<target compression>'. */
  readonly point: string;
  readonly threshold: number | 'certified' | null;
  readonly compression: number;
  readonly flopCompression: number;
  /** The point's accuracy as the curve measured it (the pruned model in memory). */
  readonly accuracy: number;
  /** The weights of the dense model, float32: 4 bytes per weight. */
  readonly denseWeightBytes: number;
  /** Parameters of the exported model (after removing dead units, with `--structure neurons`). */
  readonly parameters: number;
  /** Units / filters removed per Dense / Conv2D layer (`--structure neurons`). */
  readonly removed: readonly {
    readonly layer: string;
    readonly units: number;
    readonly of: number;
  }[];
  /** model.json + weights.bin, reloaded with `loadModel`. */
  readonly tfjs: {
    readonly weights: FileBytes;
    readonly modelJsonBytes: number;
    readonly accuracy: number;
    /** Held-out inputs whose predicted class differs from the pruned model's. */
    readonly mismatches: number;
  };
  /** model.spred.json + model.spred.bin, reloaded with `loadSparseModel`. */
  readonly compact: {
    readonly values: PruneFlags['quantize'];
    readonly weights: FileBytes;
    readonly modelJsonBytes: number;
    readonly accuracy: number;
    readonly mismatches: number;
  };
}

function bytesOf(content: Uint8Array): FileBytes {
  return {
    raw: content.byteLength,
    gzip: gzipSync(content, { level: 9 }).byteLength,
    brotli: brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).byteLength,
  };
}

/** The folder name of a point: 'certified', or its target compression / threshold. */
export function pointFolder(point: PrunePoint, target: number | undefined): string {
  if (point.threshold === 'certified') return 'certified';
  return target === undefined ? `t${String(point.threshold)}` : `c${target}`;
}

async function checked(
  model: tfl.LayersModel,
  expected: Int32Array,
  labels: Int32Array,
  x: tf.Tensor,
): Promise<{ accuracy: number; mismatches: number }> {
  const predicted = await predictClasses(model, x);
  let correct = 0;
  let mismatches = 0;
  predicted.forEach((c, i) => {
    if (c === labels[i]) correct++;
    if (c !== expected[i]) mismatches++;
  });
  return { accuracy: correct / labels.length, mismatches };
}

/**
 * Writes spred's model at one point to `folder/<point>/`: model.json + weights.bin (tfjs layers
 * format; with `--structure neurons` the dead units and filters removed by `shrinkModel`, so a
 * smaller dense model) and model.spred.json + model.spred.bin (the compact sparse format, values
 * as `--quantize`), both with the user's output activation; then reloads each from disk and
 * checks it on the held-out data against the pruned model, input for input (export.json).
 */
export async function exportPoint(
  model: tfl.LayersModel,
  point: PrunePoint,
  name: string,
  context: ExportContext,
): Promise<ExportRecord> {
  const dir = prepareOutputFolder(join(context.folder, name), '--out');
  const denseWeightBytes = 4 * model.getWeights().reduce((n, w) => n + w.size, 0);
  const expected = await predictClasses(model, context.test.x);
  const shrunk = context.structure === 'neurons' ? await shrinkModel(model) : undefined;
  const shipped = await withOutputActivation(shrunk?.model ?? model, context.outputActivation);
  shrunk?.model.dispose();
  try {
    await saveModel(shipped, dir);
    const files = await encodeSparseModel(shipped, { values: context.quantize });
    const compactJson = `${JSON.stringify(files.json)}\n`;
    writeAtomic(dir, 'model.spred.bin', files.weights);
    writeAtomic(dir, 'model.spred.json', compactJson);
    const tfjsWeights = readFileSync(join(dir, 'weights.bin'));
    const tfjsJson = readFileSync(join(dir, 'model.json'));
    const check = async (reloaded: tfl.LayersModel) => {
      try {
        return await checked(reloaded, expected, context.test.labels, context.test.x);
      } finally {
        reloaded.dispose();
      }
    };
    const tfjsCheck = await check(await loadModel(dir));
    const compactCheck = await check(await loadSparseModel(dir));
    const record: ExportRecord = {
      point: name,
      threshold: point.threshold,
      compression: point.compression,
      flopCompression: point.flopCompression,
      accuracy: point.accuracy,
      denseWeightBytes,
      parameters: shipped.countParams(),
      removed: shrunk?.removed ?? [],
      tfjs: {
        weights: bytesOf(tfjsWeights),
        modelJsonBytes: tfjsJson.byteLength,
        ...tfjsCheck,
      },
      compact: {
        values: context.quantize,
        weights: bytesOf(files.weights),
        modelJsonBytes: Buffer.byteLength(compactJson),
        ...compactCheck,
      },
    };
    writeAtomic(dir, 'export.json', `${JSON.stringify(record, null, 2)}\n`);
    return record;
  } finally {
    shipped.dispose();
  }
}

/** One line per export for the terminal. */
export function exportLine(r: ExportRecord): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
  return `export ${r.point}: dense ${kb(r.denseWeightBytes)} → tfjs ${kb(r.tfjs.weights.raw)} (gzip ${kb(r.tfjs.weights.gzip)}), compact ${kb(r.compact.weights.raw)} (${(r.denseWeightBytes / r.compact.weights.raw).toFixed(1)}× smaller); accuracy ${pct(r.accuracy)}, reloaded tfjs ${pct(r.tfjs.accuracy)} (${r.tfjs.mismatches} predictions differ), compact ${pct(r.compact.accuracy)} (${r.compact.mismatches} differ)`;
}
