import { join } from 'node:path';
import { alphaMax } from '@spred/solvers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { optimSuite } from './optim.js';
import { climbLadders } from '../harness/accuracy-ladder.js';
import { writeMatrixNpy, writeVectorNpy } from '../io/npy.js';
import { glmnetLasso, sklearnLasso } from '../peers/external-peers.js';
import { spredLasso } from '../peers/spred-cli.js';
import { lassoObjective } from '../problems/lasso-objective.js';
import { sparseGaussianProblem, supportF1 } from '../problems/sparse-gaussian.js';
import { lassoReference } from '../reference/lasso-reference.js';
import { withScratch } from './lasso-cases.js';
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

  it('lasso: every solver as a whole process on the same files, scored against the certified reference', () => {
    // The suite's planted case in miniature (the full quick run takes minutes): spred's CLI and
    // whichever peers are installed, on one X.npy, each answer scored by the float64 reference.
    const problem = sparseGaussianProblem(40, 80, 5, 0.5, 7);
    const alpha = 0.1 * alphaMax(problem.x, problem.y, { fitIntercept: false });
    const reference = lassoReference(problem.x, problem.y, alpha);
    expect(reference.certified).toBe(true);
    const outcomes = withScratch('test', (dir) => {
      const files = { x: join(dir, 'X.npy'), y: join(dir, 'y.npy') };
      writeMatrixNpy(files.x, problem.x);
      writeVectorNpy(files.y, problem.y);
      return climbLadders(
        [
          spredLasso(files, alpha, { task: 'regression', settings: [1e-8] }),
          sklearnLasso(files, alpha, [1e-8, 1e-12]),
          glmnetLasso(files, alpha, [1e-8, 1e-12, 1e-14]),
        ],
        {
          workDir: dir,
          repeats: 1,
          timeoutSeconds: 120,
          passes: (coef) =>
            lassoObjective(problem.x, problem.y, coef, 0, alpha) <=
            (1 + 1e-6) * reference.certificate.primal,
          log: () => undefined,
        },
      );
    });
    const spred = outcomes.find((o) => o.solver === 'spred');
    expect(spred?.passed).toBe(true);
    expect(supportF1(spred?.answer as Float64Array, reference.coef)).toBe(1);
    for (const o of outcomes) {
      expect(o.answer).toHaveLength(80);
      expect(o.seconds).toBeGreaterThan(0);
    }
  });

  it('sparse-coding: every method trains to each budget and is scored on held-out patches by one encoder', async () => {
    const outcome = await sparseCodingSuite.run({ quick: true, log: () => undefined });
    const spred = outcome.cases.filter((c) => c['method'] === 'spred-dictionary');
    expect(spred.map((c) => c['budget'])).toEqual([1, 3]);
    for (const c of outcome.cases) {
      expect(c['seconds']).toBeGreaterThanOrEqual(c['budget'] as number);
      expect(c['heldOutObjective']).toBeGreaterThan(0);
      expect(c['codeSparsity']).toBeGreaterThan(0.2);
      expect(c['worstGap']).toBeLessThanOrEqual(1e-10);
    }
    expect(outcome.cases.some((c) => c['method'] === 'spred-codes')).toBe(true);
    const share = outcome.cases.find(
      (c) => c['method'] === 'spred-dictionary' && c['budget'] === 3,
    );
    expect(share?.['gaborShare']).toBeGreaterThanOrEqual(0);
    expect(share?.['gaborShare']).toBeLessThanOrEqual(1);
    expect(outcome.figures?.map((f) => f.file)).toEqual(['objective-vs-seconds.svg']);
  });

  it('genes: the bench methods on the bundled Alon set, with accuracy, time per fit and genes kept', async () => {
    const outcome = await genesSuite.run({ quick: true, log: () => undefined });
    expect(outcome.cases.map((c) => c['method'])).toEqual([
      'spred',
      'l1-logistic',
      'linear',
      'hsic-lasso',
    ]);
    const spred = outcome.cases[0] as (typeof outcome.cases)[0];
    for (const c of outcome.cases) {
      expect(c['accuracy']).toBeGreaterThanOrEqual(0);
      expect(c['accuracy']).toBeLessThanOrEqual(1);
      expect(c['majority']).toBeGreaterThanOrEqual(0.5);
      expect(c['majority']).toBeLessThanOrEqual(1);
      expect(c['secondsPerFit']).toBeGreaterThan(0);
      expect(c['vsSpredTime']).toBeCloseTo(
        (c['secondsPerFit'] as number) / (spred['secondsPerFit'] as number),
        12,
      );
    }
    // Genes kept per repeat: a list of counts for the selecting methods, null for the linear one.
    expect(String(spred['genesKeptPerRepeat'])).toMatch(/^\d+$/);
    expect(outcome.cases[2]?.['genesKeptPerRepeat']).toBeNull();
    expect(outcome.targets?.map((t) => t.name)).toEqual([
      'alon: tumor vs normal: spred ≥ l1-logistic − max sd',
      'alon: tumor vs normal: spred ≥ 10× faster per fit than HSIC Lasso, as accurate',
    ]);
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
    // Every accuracy is a share, reported beside its difference to the dense model's.
    const dense = outcome.cases.find((c) => c['method'] === 'magnitude' && c['target'] === 1);
    expect(dense?.['vsDense']).toBe(0);
    for (const c of outcome.cases) {
      expect(c['accuracy']).toBeGreaterThanOrEqual(0);
      expect(c['accuracy']).toBeLessThanOrEqual(1);
      expect(c['vsDense']).toBeCloseTo(
        (c['accuracy'] as number) - (dense?.['accuracy'] as number),
        12,
      );
    }
    expect(outcome.cases.every((c) => c['model'] === 'mlp 784-64-10')).toBe(true);
    expect(outcome.targets?.map((t) => t.name)).toEqual([
      'mlp 784-64-10: spred at 100× within 1 point of the dense model',
      'mlp 784-64-10: spred ahead of every baseline at 1000×',
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
