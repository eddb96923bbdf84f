import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { optimSuite } from './optim.js';
import { lassoSuite } from './lasso.js';
import { sparseCodingSuite } from './sparse-coding.js';
import { genesSuite } from './genes.js';
import { pruneSuite } from './prune.js';

describe('optim and lasso suites (quick)', () => {
  it('optim: reports each optimizer, and L-BFGS reaches the target on the quick problem', async () => {
    const before = tf.memory().numTensors;
    const outcome = await optimSuite.run({ quick: true, log: () => undefined });
    expect(outcome.cases.map((c) => c['optimizer'])).toEqual(['lbfgs', 'adam', 'sgd']);
    expect(outcome.cases[0]?.['reached']).toBe(true);
    expect(outcome.cases[0]?.['relGap']).toBeLessThanOrEqual(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lasso: spred and CD on the same problem, scored by one objective', async () => {
    const outcome = await lassoSuite.run({ quick: true, log: () => undefined });
    const spred = outcome.cases.filter((c) => c['solver'] === 'spred');
    const cd = outcome.cases.filter((c) => c['solver'] === 'spred-cd');
    expect(spred).toHaveLength(2);
    expect(cd).toHaveLength(2);
    for (const c of [...spred, ...cd]) {
      expect(c['relGap']).toBeLessThanOrEqual(1e-6);
      // A coefficient sitting on the kink may be in or out at finite tolerance (sklearn's answer is
      // among those compared when it is installed); identical supports at tight tolerance are
      // tested in @spred/solvers.
      expect(c['supportF1']).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('sparse-coding: spred learns on the bundled photos and is scored on held-out patches', async () => {
    const outcome = await sparseCodingSuite.run({ quick: true, log: () => undefined });
    const spred = outcome.cases.find((c) => c['solver'] === 'spred');
    expect(spred?.['secondsPerEpoch']).toBeGreaterThan(0);
    expect(spred?.['heldOutObjective']).toBeGreaterThan(0);
    expect(spred?.['codeSparsity']).toBeGreaterThan(0.2);
  });

  it('genes: every method on the bundled Alon set, with accuracy and time per fit', async () => {
    const outcome = await genesSuite.run({ quick: true, log: () => undefined });
    expect(outcome.cases.map((c) => c['method'])).toEqual([
      'spred',
      'mlp',
      'linear',
      'l1-mlp',
      'hsic-lasso',
    ]);
    for (const c of outcome.cases) {
      expect(c['accuracy']).toBeGreaterThanOrEqual(0);
      expect(c['secondsPerFit']).toBeGreaterThan(0);
    }
    expect(outcome.targets?.length).toBe(2);
  });

  it('prune: every method at 10×, 100×, 1000× and unpruned, with accuracy and the two targets', async () => {
    const before = tf.memory().numTensors;
    const outcome = await pruneSuite.run({ quick: true, log: () => undefined });
    const methods = ['spred', 'magnitude', 'random', 'snip', 'lottery'];
    for (const m of methods)
      expect(outcome.cases.filter((c) => c['method'] === m).map((c) => c['target'])).toEqual([
        1, 10, 100, 1000,
      ]);
    const spred = outcome.cases.filter((c) => c['method'] === 'spred');
    spred.slice(1).forEach((c, i) => {
      const target = [10, 100, 1000][i] as number;
      expect(c['compression'] as number).toBeGreaterThan(0.9 * target);
      expect(c['compression'] as number).toBeLessThan(1.1 * target);
    });
    for (const c of outcome.cases) expect(c['accuracy']).toBeGreaterThanOrEqual(0);
    expect(outcome.cases.every((c) => c['model'] === 'mlp 784-64-10')).toBe(true);
    expect(outcome.targets?.map((t) => t.name)).toEqual([
      'mlp 784-64-10: spred at 100× within 1 point of the dense model',
      'mlp 784-64-10: spred ahead of every baseline at 1000×',
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
