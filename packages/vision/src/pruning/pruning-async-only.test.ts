import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
import { mlp } from '../models/mlp.js';
import { sparseTask } from '../testing/sparse-task.js';
import { PRUNE_METHODS } from './prune-methods.js';
import type { TrainedWeights } from './pruning-curve.js';
import { pruningFront, type FrontPoint } from './pruning-front.js';

/**
 * The whole protocol on the small sparse task: two κ, every method (GraSP by finite differences:
 * swish is not twice differentiable in tfjs), two targets, augmentation, a per-layer floor, the
 * results folder's fingerprint. Data are made on the current backend and freed afterwards.
 */
async function front(): Promise<{
  points: Omit<FrontPoint, 'seconds'>[];
  trained: TrainedWeights[];
}> {
  const train = sparseTask(192, 11);
  const test = sparseTask(64, 12);
  const trained: TrainedWeights[] = [];
  try {
    const result = await pruningFront({
      build: () =>
        mlp({ inputShape: [8, 8, 1], hidden: [12], classes: 4, activation: 'swish', seed: 5 }),
      train,
      test,
      kappas: [1e-3, 1e-2],
      compressions: [4, 12],
      methods: PRUNE_METHODS,
      epochs: 1,
      finetuneEpochs: 1,
      learningRate: 1e-2,
      batchSize: 64,
      augment: true,
      minimumPerLayer: 2,
      resultsDir: join(mkdtempSync(join(tmpdir(), 'spred-async-only-')), 'kappas'),
      modelName: 'mlp-12-swish',
      onTrained: (weights) => trained.push(weights),
    });
    expect(result.complete).toBe(true);
    // Wall-clock seconds, and the layers' names (tfjs numbers them per process), are all that
    // differs between two runs.
    return {
      points: result.points.map(({ seconds: _seconds, ...rest }) => ({
        ...rest,
        layers: rest.layers.map(({ name: _name, ...layer }) => ({ ...layer, name: '' })),
      })),
      trained: trained.map((t) => ({ ...t, layer: '' })),
    };
  } finally {
    tf.dispose([train.x, train.y, test.x, test.y]);
  }
}

describe('the pruning protocol where synchronous reads throw (as on WebGPU in Node)', () => {
  it('gives every method the accuracies and compressions of the same run on cpu', async () => {
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(front);
    expect(new Set(asyncOnly.points.map((p) => p.method))).toEqual(new Set(PRUNE_METHODS));
    expect(asyncOnly.points.filter((p) => p.threshold !== null).length).toBeGreaterThan(10);
    expect(asyncOnly.points).toEqual(cpu.points);
    expect(asyncOnly.trained).toEqual(cpu.trained);
  }, 120_000);
});
