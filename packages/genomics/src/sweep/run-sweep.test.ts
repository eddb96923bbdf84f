import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { LabeledData } from '../data/labeled-data.js';
import { METHODS } from '../protocol/method-options.js';
import { accuracyTable, geneTable, majorityRate } from '../report/summarize-sweep.js';
import { xorLikeGenes } from '../testing/synthetic-genes.js';
import { runSweep, type SweepOptions } from './run-sweep.js';

const synthetic = xorLikeGenes(60, 40, 3, 5);
const data: LabeledData = {
  samples: Array.from({ length: 60 }, (_, i) => `S${i}`),
  features: Array.from({ length: 40 }, (_, j) => `probe${j}`),
  genes: Array.from({ length: 40 }, (_, j) => `G${j}`),
  values: Float64Array.from(synthetic.values),
  labels: synthetic.labels,
  classes: ['normal', 'tumor'],
};
const small: SweepOptions = {
  methods: METHODS,
  repeats: 2,
  kappas: [0.3],
  learningRates: [1e-2],
  hidden: [16],
  baselineHidden: 16,
  l1Lambdas: [1e-3],
  hsicFeatures: [3, 6],
  epochs: 40,
  patience: 40,
  workers: 0,
};

describe('the repeated-split sweep', () => {
  it('runs every method on every split, saves each result and resumes without refitting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-sweep-'));
    const tensors = tf.memory().numTensors;
    const first = await runSweep(data, { ...small, resultsDir: dir });
    expect(tf.memory().numTensors).toBe(tensors); // no leaked tensors across dozens of fits
    expect(first.complete).toBe(true);
    expect(first.runs).toHaveLength(10);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(11); // + sweep.json
    const table = accuracyTable(first.runs);
    expect(table.map((r) => r.method)).toEqual([...METHODS]);
    for (const row of table) {
      expect(row.repeats).toHaveLength(2);
      expect(row.mean).toBeGreaterThanOrEqual(0);
      expect(row.mean).toBeLessThanOrEqual(1);
    }
    expect(first.runs.find((r) => r.method === 'hsic-lasso')?.chosen['features']).toBeDefined();
    const genes = geneTable(first.runs, data, 'spred');
    expect(genes[0]?.rank).toBe(1);
    expect(genes[0]?.gene).toMatch(/^G\d+$/);
    expect(genes.every((g) => g.frequency > 0 && g.frequency <= 1)).toBe(true);
    expect(majorityRate(data.labels, first.splits)).toBeCloseTo(0.5, 5);

    const resumed: boolean[] = [];
    const second = await runSweep(data, {
      ...small,
      resultsDir: dir,
      onProgress: (p) => resumed.push(p.resumed),
    });
    expect(resumed).toEqual(new Array(10).fill(true));
    expect(second.runs).toEqual(first.runs);
    await expect(runSweep(data, { ...small, repeats: 3, resultsDir: dir })).rejects.toThrow(
      /different data set or configuration/,
    );
  });

  it('gives the same results in worker threads as in this thread', async () => {
    const workerUrl = new URL('../../dist/sweep/sweep-worker.js', import.meta.url);
    if (!existsSync(workerUrl)) throw new Error('build @spred/genomics first (turbo test does)');
    const options = { ...small, methods: ['spred', 'linear'] as const, repeats: 2 };
    const here = await runSweep(data, options);
    const progress: number[] = [];
    const threads = await runSweep(data, {
      ...options,
      workers: 2,
      workerUrl,
      backend: tf.getBackend(),
      onProgress: (p) => progress.push(p.done),
    });
    expect(threads.workers).toBe(2);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(threads.runs.map((r) => r.testAccuracy)).toEqual(here.runs.map((r) => r.testAccuracy));
    expect(threads.runs.map((r) => r.genes)).toEqual(here.runs.map((r) => r.genes));
  });
});
