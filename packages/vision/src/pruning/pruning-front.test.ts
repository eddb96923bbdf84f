import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { mlp } from '../models/mlp.js';
import { sparseTask } from '../testing/sparse-task.js';
import { plannedFrontSteps, pruningFront, type FrontPoint } from './pruning-front.js';

const dominates = (a: FrontPoint, b: FrontPoint) =>
  a.compression >= b.compression &&
  a.accuracy >= b.accuracy &&
  (a.compression > b.compression || a.accuracy > b.accuracy);

describe('pruning front (the accuracy–compression Pareto front over κ)', () => {
  const train = sparseTask(256, 11);
  const test = sparseTask(64, 12);
  const base = {
    build: () => mlp({ inputShape: [8, 8, 1], hidden: [16], classes: 4, seed: 5 }),
    train,
    test,
    kappas: [1e-3, 1e-2],
    compressions: [4, 20],
    certifiedPoint: false,
    methods: ['spred', 'magnitude', 'random', 'lottery'] as const,
    epochs: 2,
    finetuneEpochs: 1,
    learningRate: 1e-2,
    batchSize: 64,
    modelName: 'mlp-16',
  };
  afterAll(() => tf.dispose([train.x, train.y, test.x, test.y]));

  it('runs spred and lottery at every κ, the baselines once, and keeps each method’s non-dominated points', async () => {
    const runs: string[] = [];
    let steps = 0;
    const streamed: FrontPoint[] = [];
    const result = await pruningFront({
      ...base,
      onEpoch: (e) => runs.push(e.run),
      onStep: () => steps++,
      onPoint: (p) => streamed.push(p),
    });
    expect(result.complete).toBe(true);
    expect(result.kappas).toEqual([1e-3, 1e-2]);
    expect(streamed).toEqual(result.points);
    expect(steps).toBe(plannedFrontSteps(base));
    // spred: an unpruned row and one point per target, at each κ.
    for (const kappa of base.kappas) {
      const spred = result.points.filter((p) => p.method === 'spred' && p.kappa === kappa);
      expect(spred.map((p) => p.threshold === null)).toEqual([true, false, false]);
      expect(spred.slice(1).map((p) => Math.round(p.compression))).toEqual([4, 20]);
      const lottery = result.points.filter((p) => p.method === 'lottery' && p.kappa === kappa);
      expect(lottery).toHaveLength(2);
    }
    // The baselines: one unpruned row and one point per target, with no κ.
    for (const m of ['magnitude', 'random']) {
      const rows = result.points.filter((p) => p.method === m);
      expect(rows, m).toHaveLength(3);
      expect(rows.every((p) => p.kappa === null)).toBe(true);
    }
    expect(runs.filter((r) => r === 'dense')).toHaveLength(2); // 2 epochs, once
    expect(runs.filter((r) => r === 'spred')).toHaveLength(4); // 2 epochs at each κ
    // Each front is a non-dominated subset of its method's points, sorted by compression.
    for (const [method, front] of Object.entries(result.fronts)) {
      const own = result.points.filter((p) => p.method === method);
      expect(front.length, method).toBeGreaterThan(0);
      for (const p of front) {
        expect(own).toContain(p);
        expect(own.some((q) => dominates(q, p))).toBe(false);
      }
      for (const q of own)
        if (!front.includes(q))
          expect(
            front.some(
              (p) =>
                dominates(p, q) || (p.compression === q.compression && p.accuracy === q.accuracy),
            ),
          ).toBe(true);
      const cs = front.map((p) => p.compression);
      expect(cs).toEqual([...cs].sort((a, b) => a - b));
    }
    expect(Object.keys(result.fronts).sort()).toEqual(['lottery', 'magnitude', 'random', 'spred']);
  });

  it('resumes from resultsDir: a rerun of the same configuration trains nothing and returns the same points', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spred-front-')), 'kappas');
    let epochs = 0;
    const first = await pruningFront({ ...base, resultsDir: dir, onEpoch: () => epochs++ });
    expect(epochs).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['front.json', 'kappa-0.001.json', 'kappa-0.01.json']);
    epochs = 0;
    const resumed: boolean[] = [];
    const again = await pruningFront({
      ...base,
      resultsDir: dir,
      onEpoch: () => epochs++,
      onPoint: (_p, r) => resumed.push(r),
    });
    expect(epochs).toBe(0);
    expect(again.points).toEqual(first.points);
    expect(again.fronts).toEqual(first.fronts);
    expect(resumed.every((r) => r)).toBe(true);
    // A new κ is added to the saved ones: only spred and lottery train for it, no dense model.
    const runs: string[] = [];
    const more = await pruningFront({
      ...base,
      kappas: [...base.kappas, 3e-2],
      resultsDir: dir,
      onEpoch: (e) => runs.push(e.run),
    });
    expect(new Set(runs.filter((r) => !r.includes('@')))).toEqual(new Set(['spred']));
    expect(more.points.slice(0, first.points.length)).toEqual(first.points);
    expect(more.points.filter((p) => p.kappa === 3e-2).map((p) => p.method)).toEqual([
      'spred',
      'spred',
      'lottery',
      'spred',
      'lottery',
    ]);
    // A different configuration in the same folder is refused, naming what changed.
    await expect(pruningFront({ ...base, epochs: 3, resultsDir: dir })).rejects.toThrow(
      /holds κ runs of a different configuration \(epochs 2 → 3\); choose another folder or delete it/,
    );
    // So are data of the same size with other values, and another seed of the same model.
    const other = sparseTask(256, 13);
    await expect(pruningFront({ ...base, train: other, resultsDir: dir })).rejects.toThrow(
      /different configuration \(data /,
    );
    tf.dispose([other.x, other.y]);
    const reseeded = () => mlp({ inputShape: [8, 8, 1], hidden: [16], classes: 4, seed: 6 });
    await expect(pruningFront({ ...base, build: reseeded, resultsDir: dir })).rejects.toThrow(
      /different configuration \(initialWeights /,
    );
  });

  it('does not save an interrupted κ as finished', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spred-front-')), 'kappas');
    const controller = new AbortController();
    const result = await pruningFront({
      ...base,
      resultsDir: dir,
      signal: controller.signal,
      onPoint: (p) => {
        if (p.kappa === 1e-2 && p.threshold !== null) controller.abort();
      },
    });
    expect(result.complete).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['front.json', 'kappa-0.001.json']);
  });

  it('rejects κ lists that cannot run', async () => {
    await expect(pruningFront({ ...base, kappas: [] })).rejects.toThrow(/non-empty/);
    await expect(pruningFront({ ...base, kappas: [1e-3, -1] })).rejects.toThrow(
      /kappas must be positive numbers, got 0.001,-1/,
    );
    await expect(pruningFront({ ...base, kappas: [1e-3, 1e-3] })).rejects.toThrow(/twice/);
  });
});
