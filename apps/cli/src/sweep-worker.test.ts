import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { runSweep, type LabeledData, type SweepOptions } from '@spredjs/genomics';
import { describe, expect, it } from 'vitest';
import { SWEEP_WORKER_URL } from './sweep-worker-url.js';

// 60 samples × 30 genes, no randomness: genes 0–2 are up by 1.5 in class 1, the rest is a fixed
// quasi-random pattern.
const n = 60;
const p = 30;
const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
const values = Float64Array.from({ length: n * p }, (_, k) => {
  const i = Math.floor(k / p);
  const j = k % p;
  return Math.sin(1.7 * i + 2.3 * j * j + 0.1 * i * j) + (j < 3 ? 1.5 * (labels[i] ?? 0) : 0);
});
const data: LabeledData = {
  samples: Array.from({ length: n }, (_, i) => `S${i}`),
  features: Array.from({ length: p }, (_, j) => `probe${j}`),
  genes: Array.from({ length: p }, (_, j) => `G${j}`),
  values,
  labels,
  classes: ['normal', 'tumor'],
};
const options: SweepOptions = {
  methods: ['spred', 'linear'],
  repeats: 2,
  kappas: [0.3],
  learningRates: [1e-2],
  hidden: [16],
  baselineHidden: 16,
  epochs: 40,
  patience: 40,
  workers: 0,
};

describe("select-genes' sweep worker", () => {
  it('gives the same results in worker threads as in this thread', async () => {
    if (!existsSync(SWEEP_WORKER_URL)) throw new Error('build @spredjs/cli first (turbo test does)');
    const here = await runSweep(data, options);
    const progress: number[] = [];
    const threads = await runSweep(data, {
      ...options,
      workers: 2,
      workerUrl: SWEEP_WORKER_URL,
      backend: tf.getBackend(),
      onProgress: (q) => progress.push(q.done),
    });
    expect(threads.workers).toBe(2);
    expect(threads.complete).toBe(true);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(here.runs.map((r) => `${r.method} ${r.repeat}`)).toEqual([
      'spred 0',
      'linear 0',
      'spred 1',
      'linear 1',
    ]);
    expect(threads.runs.map((r) => r.testAccuracy)).toEqual(here.runs.map((r) => r.testAccuracy));
    expect(threads.runs.map((r) => r.genes)).toEqual(here.runs.map((r) => r.genes));
    expect(here.runs[0]?.genes?.length).toBeGreaterThan(0); // spred kept genes to compare
  });
});
