import { mkdtempSync, readdirSync } from 'node:fs';
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
    expect(first.runs).toHaveLength(2 * METHODS.length);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(
      2 * METHODS.length + 1,
    ); // + sweep.json
    const table = accuracyTable(first.runs);
    expect(table.map((r) => r.method)).toEqual([...METHODS]);
    const testSize = first.splits[0]?.test.length ?? Number.NaN;
    expect(first.splits.map((s) => s.test.length)).toEqual([testSize, testSize]);
    for (const row of table) {
      const mine = first.runs.filter((r) => r.method === row.method);
      expect(row.repeats).toEqual(mine.map((r) => r.testAccuracy));
      expect(row.mean).toBeCloseTo(
        ((row.repeats[0] ?? Number.NaN) + (row.repeats[1] ?? Number.NaN)) / 2,
        12,
      );
      // an accuracy counts test samples: correct / |test| with correct one of 0, 1, …, |test|
      const counts = Array.from({ length: testSize + 1 }, (_, c) => c);
      for (const a of row.repeats) {
        expect(a * testSize).toBeCloseTo(Math.round(a * testSize), 9);
        expect(counts).toContain(Math.round(a * testSize));
      }
    }
    const hsic = first.runs.filter((r) => r.method === 'hsic-lasso');
    expect(hsic).toHaveLength(2);
    for (const run of hsic) {
      expect([3, 6]).toContain(run.chosen['features']);
      expect(run.genes).toHaveLength(run.chosen['features'] ?? Number.NaN);
    }
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
    expect(resumed).toEqual(new Array(2 * METHODS.length).fill(true));
    expect(second.runs).toEqual(first.runs);
    await expect(runSweep(data, { ...small, repeats: 3, resultsDir: dir })).rejects.toThrow(
      /different data set or configuration/,
    );
  });

  it('runs the L1-logistic path once per split (not per learning rate) and saves its runs with their genes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-sweep-l1-'));
    const result = await runSweep(data, {
      ...small,
      methods: ['l1-logistic'],
      learningRates: [1e-3, 1e-2],
      l1LogisticAlphas: 6,
      resultsDir: dir,
    });
    expect(result.complete).toBe(true);
    expect(result.protocol.l1LogisticAlphas).toBe(6);
    expect(result.runs).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual([
      'l1-logistic-repeat-01.json',
      'l1-logistic-repeat-02.json',
      'sweep.json',
    ]);
    for (const run of result.runs) {
      expect(run.fits).toBe(6);
      expect(Object.keys(run.chosen).sort()).toEqual(['alpha', 'alphaRatio']);
      expect(run.chosen['alphaRatio']).toBeLessThanOrEqual(1);
      expect(run.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(run.testAccuracy).toBeLessThanOrEqual(1);
      expect(run.weights?.[0]).toBe(1);
      expect(run.genes?.length).toBe(run.weights?.length);
    }
    const genes = geneTable(result.runs, data, 'l1-logistic');
    // (which genes: l1-logistic.test.ts, on data large enough for a linear rule to find them)
    expect(genes[0]?.rank).toBe(1);
    expect(genes.every((g) => /^G\d+$/.test(g.gene) && g.frequency > 0 && g.frequency <= 1)).toBe(
      true,
    );
    expect(accuracyTable(result.runs).map((r) => r.method)).toEqual(['l1-logistic']);
  });

  it('leaves the worker script, and with it the backend, to the app', async () => {
    // Worker threads need the app's script (apps/cli's sweep-worker.test.ts runs them).
    await expect(runSweep(data, { ...small, workers: 2 })).rejects.toThrow(
      "workers: 2 needs a workerUrl: the app's worker script, which chooses a backend and calls serveSweepJobs",
    );
    const { workers, ...inThread } = small;
    expect(workers).toBe(0);
    const result = await runSweep(data, { ...inThread, methods: ['linear'], repeats: 1 });
    expect(result.workers).toBe(0); // no script given: every job runs in this thread
    expect(result.runs).toHaveLength(1);
  });
});
