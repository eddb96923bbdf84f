import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hadamard } from '@spredjs/core';
import { GroupedOptimizer } from '../optimizers/grouped-optimizer.js';
import { reduceOnPlateau } from '../schedules/reduce-on-plateau.js';
import { orthogonalLasso } from '../testing/orthogonal-lasso.js';
import { train, type TrainOptions } from './train.js';
import { epochPermutation } from './seeded-permutation.js';

const scalarOf = (t: tf.Tensor) => t.dataSync()[0] as number;

/** A small mini-batch regression with spred on the weights and a plain bias: the loop's workout. */
function regression(seed: number) {
  const X = tf.randomNormal([64, 5], 0, 1, 'float32', 11);
  const w = tf.tensor2d([[1], [-2], [0], [0], [0.5]]);
  const y = tf.add(tf.matMul(X, w), tf.randomNormal([64, 1], 0, 0.1, 'float32', 12));
  const coef = hadamard([5, 1], { kappa: 0.01, seed });
  const bias = tf.variable(tf.zeros([1]));
  const optimizer = new GroupedOptimizer({ kind: 'adam', learningRate: 0.05 }, [
    { variables: coef.variables },
    { variables: [bias], weightDecay: 1e-3 },
  ]);
  const loss: TrainOptions['loss'] = ([xb, yb]) =>
    tf.add(
      tf.losses.meanSquaredError(
        yb as tf.Tensor,
        tf.add(tf.matMul(xb as tf.Tensor, coef.value()), bias),
      ),
      coef.penalty(),
    ) as tf.Scalar;
  const validationMetric = () =>
    tf.tidy(() =>
      scalarOf(tf.losses.meanSquaredError(y, tf.add(tf.matMul(X, coef.value()), bias))),
    );
  const snapshot = () => [...Array.from(coef.value().dataSync()), scalarOf(bias)];
  const dispose = () => {
    tf.dispose([X, w, y, bias]);
    coef.dispose();
    optimizer.dispose();
  };
  return { X, y, coef, bias, optimizer, loss, validationMetric, snapshot, dispose };
}

describe('train', () => {
  it('runs seeded mini-batches: the same seed gives the same result, another seed another', async () => {
    const runs = [];
    for (const seed of [3, 3, 4]) {
      const r = regression(1);
      await train({
        optimizer: r.optimizer,
        data: [r.X, r.y],
        batchSize: 16,
        epochs: 5,
        seed,
        loss: r.loss,
      });
      runs.push(r.snapshot());
      r.dispose();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
    const order = Array.from(epochPermutation(10, 3, 2)).sort((a, b) => a - b);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(epochPermutation(10, 3, 2))).not.toEqual(
      Array.from(epochPermutation(10, 3, 3)),
    );
  });

  it('an interrupted then resumed run ends exactly where an uninterrupted one does', async () => {
    const common = (r: ReturnType<typeof regression>): TrainOptions => ({
      optimizer: r.optimizer,
      data: [r.X, r.y],
      batchSize: 20,
      epochs: 8,
      seed: 9,
      loss: r.loss,
      schedule: reduceOnPlateau({ patience: 1, factor: 0.5 }),
      validation: { metric: r.validationMetric, mode: 'min', restoreBest: false },
    });
    const straight = regression(2);
    const full = await train(common(straight));
    const expected = straight.snapshot();
    straight.dispose();

    const dir = mkdtempSync(join(tmpdir(), 'spred-ckpt-'));
    const first = regression(2);
    const controller = new AbortController();
    const partial = await train({
      ...common(first),
      checkpoint: { dir },
      signal: controller.signal,
      onEpoch: (record) => record.epoch === 3 && controller.abort(),
    });
    expect(partial).toMatchObject({ stopReason: 'aborted', epochs: 3 });
    first.dispose();

    // A new process would build the model afresh (another init), then resume.
    const second = regression(77);
    const resumed = await train({ ...common(second), checkpoint: { dir, resume: true } });
    expect(resumed.resumedFrom).toBe(3);
    expect(resumed.epochs).toBe(8);
    expect(second.snapshot()).toEqual(expected);
    expect(resumed.history.map((h) => h.loss)).toEqual(full.history.map((h) => h.loss));
    second.dispose();
  });

  it('early stopping restores the weights of the best validation epoch', async () => {
    // Gradient descent walks w from 0 to 5; the validation metric prefers w = 2.
    const w = tf.variable(tf.scalar(0));
    const optimizer = new GroupedOptimizer({ kind: 'sgd', learningRate: 0.05 }, [
      { variables: [w] },
    ]);
    const seen: number[] = [];
    const result = await train({
      optimizer,
      epochs: 200,
      loss: () => tf.square(tf.sub(w, 5)) as tf.Scalar,
      validation: { metric: () => -Math.abs(scalarOf(w) - 2), mode: 'max', patience: 3 },
      onEpoch: () => seen.push(scalarOf(w)),
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.epochs).toBe((result.bestEpoch as number) + 4);
    expect(scalarOf(w)).toBe(seen[(result.bestEpoch as number) - 1]);
    expect(Math.abs(scalarOf(w) - 2)).toBeLessThan(0.3);
    optimizer.dispose();
    w.dispose();
  });

  it("stops when the loss has settled and spred's two thresholds agree", async () => {
    const problem = orthogonalLasso(0.1);
    const coef = hadamard([problem.d, 1], { kappa: 0.05, seed: 1 });
    const optimizer = new GroupedOptimizer({ kind: 'sgd', learningRate: 0.2 }, [
      { variables: coef.variables },
    ]);
    const result = await train({
      optimizer,
      epochs: 20000,
      loss: () => tf.add(problem.datafit(coef.value()), coef.penalty()) as tf.Scalar,
      convergence: {
        relativeLossChange: 1e-7,
        sparsity: { parameters: [coef], low: 1e-6, high: 1e-4 },
        patience: 20,
      },
    });
    expect(result.stopReason).toBe('converged');
    expect(result.epochs).toBeLessThan(20000);
    const zeros = problem.exact.filter((v) => v === 0).length / problem.d;
    expect(result.history.at(-1)?.sparsity?.[0]).toBeCloseTo(zeros, 10);
    [optimizer, coef, problem].forEach((o) => o.dispose());
  });

  it('stops on a NaN loss, naming the step, and keeps the last finite state', async () => {
    // Minimizing √w drives w through 0, where the loss becomes NaN.
    const w = tf.variable(tf.scalar(1));
    const optimizer = new GroupedOptimizer({ kind: 'sgd', learningRate: 0.3 }, [
      { variables: [w] },
    ]);
    const result = await train({ optimizer, epochs: 100, loss: () => tf.sqrt(w) as tf.Scalar });
    expect(result.stopReason).toBe('non-finite');
    expect(result.message).toMatch(
      /^loss is NaN at epoch \d+, batch 1 \(step \d+\); the variables hold the last state with a finite loss$/,
    );
    expect(scalarOf(w)).toBeGreaterThanOrEqual(0);
    optimizer.dispose();
    w.dispose();
  });

  it('leaks no tensors over 100 mini-batch steps', async () => {
    const r = regression(5);
    await train({
      optimizer: r.optimizer,
      data: [r.X, r.y],
      batchSize: 16,
      epochs: 1,
      loss: r.loss,
    });
    const before = tf.memory().numTensors;
    await train({
      optimizer: r.optimizer,
      data: [r.X, r.y],
      batchSize: 16,
      epochs: 25,
      loss: r.loss,
      validation: { metric: r.validationMetric, patience: 100 },
      convergence: { sparsity: { parameters: [r.coef] } },
    });
    expect(tf.memory().numTensors).toBe(before);
    r.dispose();
  });

  it('rejects bad options with clear messages', async () => {
    const r = regression(1);
    const y3 = tf.zeros([3, 1]);
    await expect(
      train({ optimizer: r.optimizer, data: [r.X, y3], epochs: 1, loss: r.loss }),
    ).rejects.toThrow(/data\[1\] has 3 rows but data\[0\] has 64/);
    await expect(
      train({ optimizer: r.optimizer, data: [r.X, r.y], batchSize: 0, epochs: 1, loss: r.loss }),
    ).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(train({ optimizer: r.optimizer, epochs: -1, loss: r.loss })).rejects.toThrow(
      /epochs must be a non-negative integer/,
    );
    y3.dispose();
    r.dispose();
  });
});
