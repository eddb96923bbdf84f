import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';

/** Everything a resumed run needs, besides tensors: plain JSON. */
export interface CheckpointMeta {
  readonly version: 1;
  /** Epochs completed. */
  readonly epoch: number;
  readonly [key: string]: unknown;
}

/** Named groups of tensors stored in a checkpoint (variables, optimizer state, best weights). */
export type TensorGroups = Record<string, readonly tf.Tensor[]>;

interface Manifest {
  readonly meta: CheckpointMeta;
  readonly tensors: Record<
    string,
    { shape: number[]; dtype: tf.DataType; offset: number; length: number }[]
  >;
}

// JSON has no ±Infinity; metrics and plateau state use them.
const encode = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? { nonFinite: String(value) } : value;
const decode = (_key: string, value: unknown) =>
  value !== null && typeof value === 'object' && 'nonFinite' in value
    ? Number((value as { nonFinite: string }).nonFinite)
    : value;

/**
 * Writes `meta` and the tensor groups to `dir` (checkpoint.json + checkpoint.bin), replacing an
 * older checkpoint only once the new one is complete, so an interrupt never leaves a broken one.
 */
export function saveCheckpoint(dir: string, meta: CheckpointMeta, groups: TensorGroups): void {
  mkdirSync(dir, { recursive: true });
  const tensors: Manifest['tensors'] = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, list] of Object.entries(groups)) {
    tensors[name] = list.map((t) => {
      const data = t.dataSync();
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
      chunks.push(bytes);
      const entry = { shape: [...t.shape], dtype: t.dtype, offset, length: bytes.byteLength };
      offset += bytes.byteLength;
      return entry;
    });
  }
  const manifest: Manifest = { meta, tensors };
  writeFileSync(join(dir, 'checkpoint.bin.tmp'), Buffer.concat(chunks));
  writeFileSync(join(dir, 'checkpoint.json.tmp'), JSON.stringify(manifest, encode));
  renameSync(join(dir, 'checkpoint.bin.tmp'), join(dir, 'checkpoint.bin'));
  renameSync(join(dir, 'checkpoint.json.tmp'), join(dir, 'checkpoint.json'));
}

/** Reads a checkpoint written by {@link saveCheckpoint}, or undefined if `dir` has none. */
export function loadCheckpoint(
  dir: string,
): { meta: CheckpointMeta; groups: Record<string, tf.Tensor[]> } | undefined {
  const jsonPath = join(dir, 'checkpoint.json');
  if (!existsSync(jsonPath)) return undefined;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(jsonPath, 'utf8'), decode) as Manifest;
  } catch (e) {
    throw new SpredInputError(
      `${jsonPath}: not a spred checkpoint (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (manifest.meta?.version !== 1)
    throw new SpredInputError(`${jsonPath}: unsupported checkpoint version`);
  const bin = readFileSync(join(dir, 'checkpoint.bin'));
  const groups: Record<string, tf.Tensor[]> = {};
  for (const [name, entries] of Object.entries(manifest.tensors)) {
    groups[name] = entries.map((e) => {
      if (e.offset + e.length > bin.byteLength)
        throw new SpredInputError(`${dir}: checkpoint.bin is truncated`);
      const bytes = bin.subarray(e.offset, e.offset + e.length);
      const copy = new Uint8Array(bytes).buffer;
      const values =
        e.dtype === 'int32'
          ? new Int32Array(copy)
          : e.dtype === 'bool'
            ? new Uint8Array(copy)
            : new Float32Array(copy);
      return tf.tensor(values, e.shape, e.dtype);
    });
  }
  return { meta: manifest.meta, groups };
}
