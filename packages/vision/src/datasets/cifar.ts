import { readFileSync } from 'node:fs';
import { SpredInputError } from '@spredjs/core';
import type { ImageDataset } from './idx.js';

/**
 * Reads CIFAR-10 or CIFAR-100 binary batches (`data_batch_1.bin`…, `test_batch.bin`, `train.bin`).
 * Each record is the label byte(s) — one for CIFAR-10, coarse then fine for CIFAR-100 — then
 * 3 × 32 × 32 bytes in planes (all red, all green, all blue). Images come back channels-last
 * (N × 32 × 32 × 3) as tfjs expects; `label: 'fine'` picks CIFAR-100's fine label.
 */
export function readCifarBatches(
  paths: readonly string[],
  options: { variant: 'cifar10' | 'cifar100'; label?: 'coarse' | 'fine' },
): ImageDataset {
  const labelBytes = options.variant === 'cifar10' ? 1 : 2;
  const pixels = 3 * 32 * 32;
  const record = labelBytes + pixels;
  const chunks = paths.map((path) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new SpredInputError(`${path}: no such file`);
    }
    if (bytes.length === 0 || bytes.length % record !== 0) {
      throw new SpredInputError(
        `${path}: ${bytes.length} bytes is not a whole number of ${options.variant} records (${record} bytes each): truncated or not a ${options.variant} binary batch`,
      );
    }
    return bytes;
  });
  const count = chunks.reduce((a, b) => a + b.length / record, 0);
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  const pick = options.variant === 'cifar100' && (options.label ?? 'fine') === 'fine' ? 1 : 0;
  const maxLabel = options.variant === 'cifar10' ? 9 : pick === 1 ? 99 : 19;
  let n = 0;
  for (const [c, bytes] of chunks.entries()) {
    for (let r = 0; r < bytes.length / record; r++, n++) {
      const base = r * record;
      const label = bytes[base + pick] as number;
      if (label > maxLabel)
        throw new SpredInputError(
          `${paths[c]}: record ${r} has label ${label}, above ${maxLabel}: not a ${options.variant} file`,
        );
      labels[n] = label;
      for (let p = 0; p < 1024; p++) {
        for (let ch = 0; ch < 3; ch++)
          images[n * pixels + p * 3 + ch] = bytes[base + labelBytes + ch * 1024 + p] as number;
      }
    }
  }
  return { images, labels, count, height: 32, width: 32, channels: 3 };
}
