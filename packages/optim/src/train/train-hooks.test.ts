import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GroupedOptimizer } from '../optimizers/grouped-optimizer.js';
import { convergenceMonitor, unchangedFor, type StopMonitor } from './monitors.js';
import { train } from './train.js';

const valuesOf = (t: tf.Tensor) => Array.from(t.dataSync());
const sgd = (variables: tf.Variable[], learningRate = 0.1) =>
  new GroupedOptimizer({ kind: 'sgd', learningRate }, [{ variables }]);

describe('train hooks', () => {
  it('afterStep re-applying a mask keeps the pruned entries exactly zero before every step', async () => {
    const w = tf.variable(tf.tensor1d([1, 1, 1, 1]));
    const mask = tf.tensor1d([1, 0, 1, 0]);
    const optimizer = sgd([w]);
    const data = [tf.zeros([12, 1])];
    const entering: number[][] = [];
    const steps: number[] = [];
    const before = tf.memory().numTensors;
    await train({
      optimizer,
      data,
      batchSize: 4,
      epochs: 5,
      // The pull of every entry towards 5 would make the pruned ones nonzero at once.
      loss: () => tf.sum(tf.square(tf.sub(w, 5))) as tf.Scalar,
      transformBatch: (batch) => {
        entering.push(valuesOf(w));
        return batch;
      },
      afterStep: ({ step }) => {
        steps.push(step);
        tf.tidy(() => w.assign(tf.mul(w, mask)));
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(steps).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    // Every step after the first starts from a masked state.
    for (const state of entering.slice(1)) expect([state[1], state[3]]).toEqual([0, 0]);
    const final = valuesOf(w);
    expect([final[1], final[3]]).toEqual([0, 0]);
    // The kept entries follow plain SGD on (w − 5)²: w ← w + 0.2(5 − w), 15 steps from 1.
    expect(final[0]).toBeCloseTo(5 - 4 * 0.8 ** 15, 5);
    expect(final[2]).toBeCloseTo(5 - 4 * 0.8 ** 15, 5);
    optimizer.dispose();
    tf.dispose([w, mask, ...data]);
  });

  it('transformBatch sees every batch of every epoch once, and the loss gets what it returns', async () => {
    const w = tf.variable(tf.scalar(0));
    const optimizer = sgd([w]);
    const x = tf.reshape(tf.range(0, 10), [10, 1]);
    const seen: number[][] = [];
    const lossInputs: number[] = [];
    const contexts: string[] = [];
    await train({
      optimizer,
      data: [x],
      batchSize: 4,
      epochs: 3,
      seed: 5,
      transformBatch: ([xb], { epoch, batch, batches }) => {
        seen[epoch - 1] = [...(seen[epoch - 1] ?? []), ...valuesOf(xb as tf.Tensor)];
        contexts.push(`${epoch}.${batch}/${batches}`);
        return [tf.mul(xb as tf.Tensor, 100)];
      },
      loss: ([xb]) => {
        lossInputs.push(...valuesOf(xb as tf.Tensor));
        return tf.mul(w, tf.sum(xb as tf.Tensor)) as tf.Scalar;
      },
    });
    expect(contexts).toEqual([
      '1.1/3',
      '1.2/3',
      '1.3/3',
      '2.1/3',
      '2.2/3',
      '2.3/3',
      '3.1/3',
      '3.2/3',
      '3.3/3',
    ]);
    for (const epoch of seen)
      expect([...epoch].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen[0]).not.toEqual(seen[1]); // seeded shuffles differ between epochs
    expect(lossInputs).toEqual(seen.flat().map((v) => 100 * v));
    optimizer.dispose();
    tf.dispose([w, x]);
  });

  it('a monitor stops at the epoch it should: a value unchanged for k epochs', async () => {
    const w = tf.variable(tf.scalar(0));
    const optimizer = sgd([w]);
    let epoch = 0;
    // The "gene set" changes in epochs 1…5 and then holds: with k = 3 the run stops after epoch 8.
    const genes = unchangedFor(
      3,
      () => ['a', 'ab', 'abc', 'abcd', 'abcde'][Math.min(epoch++, 4)] as string,
      'gene set',
    );
    const result = await train({
      optimizer,
      epochs: 100,
      loss: () => tf.square(tf.sub(w, 1)) as tf.Scalar,
      monitors: [genes],
    });
    expect(result).toMatchObject({
      stopReason: 'converged',
      epochs: 8,
      message: 'gene set unchanged for 3 epochs at epoch 8',
    });
    // Monitors are asked in order, while none has stopped the run.
    const asked: string[] = [];
    const at = (name: string, stopAt: number): StopMonitor => ({
      observe: ({ epoch: e }) => {
        asked.push(`${name}${e}`);
        return e === stopAt ? { reason: 'early-stopping', message: `${name} at ${e}` } : undefined;
      },
    });
    const second = await train({
      optimizer,
      epochs: 100,
      loss: () => tf.square(tf.sub(w, 1)) as tf.Scalar,
      monitors: [at('a', 2), at('b', 2)],
    });
    expect(second).toMatchObject({ stopReason: 'early-stopping', epochs: 2, message: 'a at 2' });
    expect(asked).toEqual(['a1', 'b1', 'a2']);
    optimizer.dispose();
    w.dispose();
  });

  it('the convergence monitor given as a monitor stops where the convergence option does', async () => {
    const run = async (how: 'option' | 'monitor') => {
      const w = tf.variable(tf.scalar(4));
      const optimizer = sgd([w], 0.05);
      const convergence = { relativeLossChange: 1e-3, patience: 2 };
      const result = await train({
        optimizer,
        epochs: 10000,
        loss: () => tf.add(tf.square(w), 1) as tf.Scalar,
        ...(how === 'option' ? { convergence } : { monitors: [convergenceMonitor(convergence)] }),
      });
      optimizer.dispose();
      w.dispose();
      return result;
    };
    const [option, monitor] = [await run('option'), await run('monitor')];
    expect(option.stopReason).toBe('converged');
    expect(option.epochs).toBeGreaterThan(10);
    expect(monitor.epochs).toBe(option.epochs);
    expect(monitor.history.map((h) => h.loss)).toEqual(option.history.map((h) => h.loss));
  });

  it('a swapped parameter set trains from the next epoch on, with its own loss', async () => {
    const a = tf.variable(tf.scalar(0));
    const b = tf.variable(tf.scalar(0));
    const first = sgd([a]);
    const second = sgd([b]);
    const before = tf.memory().numTensors;
    const trainedIn: string[] = [];
    const result = await train({
      optimizer: first,
      epochs: 5,
      loss: () => tf.square(tf.sub(a, 1)) as tf.Scalar,
      swapParameters: ({ epoch, optimizer }) => {
        expect(optimizer).toBe(epoch <= 2 ? first : second);
        return epoch === 2
          ? { optimizer: second, loss: () => tf.square(tf.sub(b, 2)) as tf.Scalar }
          : undefined;
      },
      afterStep: ({ epoch }) => {
        trainedIn.push(
          `${epoch}:${valuesOf(a)[0] === 0 ? '' : 'a'}${valuesOf(b)[0] === 0 ? '' : 'b'}`,
        );
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(trainedIn).toEqual(['1:a', '2:a', '3:ab', '4:ab', '5:ab']);
    // SGD with rate 0.1 on (v − t)²: v ← v + 0.2(t − v), so after k steps v = t(1 − 0.8^k).
    expect(valuesOf(a)[0]).toBeCloseTo(1 - 0.8 ** 2, 6);
    expect(valuesOf(b)[0]).toBeCloseTo(2 * (1 - 0.8 ** 3), 6);
    expect(result.history[2]?.loss).toBeCloseTo(4, 6); // epoch 3: b's loss at b = 0
    [first, second].forEach((o) => o.dispose());
    tf.dispose([a, b]);
  });

  it('leaks no tensors with every hook in play over mini-batches, and awaits async hooks', async () => {
    const w = tf.variable(tf.zeros([3, 1]));
    const optimizer = sgd([w], 0.01);
    const x = tf.randomNormal([20, 3], 0, 1, 'float32', 1);
    const y = tf.matMul(x, tf.tensor2d([[1], [2], [3]]));
    const before = tf.memory().numTensors;
    let afterSteps = 0;
    const result = await train({
      optimizer,
      data: [x, y],
      batchSize: 8,
      epochs: 6,
      loss: ([xb, yb]) =>
        tf.losses.meanSquaredError(yb as tf.Tensor, tf.matMul(xb as tf.Tensor, w)) as tf.Scalar,
      transformBatch: async ([xb, yb]) => {
        await Promise.resolve();
        return [tf.mul(xb as tf.Tensor, 1), yb as tf.Tensor];
      },
      afterStep: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        afterSteps++;
      },
      monitors: [unchangedFor(100, () => 0)],
      swapParameters: () => ({ optimizer }),
      validation: { metric: () => tf.tidy(() => valuesOf(tf.sum(w))[0] as number), mode: 'max' },
    });
    expect(result.epochs).toBe(6);
    expect(afterSteps).toBe(18);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose([w, x, y]);
  });

  it('a custom monitor keeps its count through a checkpoint: a resumed run stops where an uninterrupted one does', async () => {
    const run = async (dir?: string, abortAt?: number, resume = false) => {
      const w = tf.variable(tf.scalar(3));
      const optimizer = sgd([w], 0.05);
      const controller = new AbortController();
      // Rounded to 1 decimal, w settles long before the run ends.
      const settled = unchangedFor(4, () => Math.round(valuesOf(w)[0]! * 10));
      const result = await train({
        optimizer,
        epochs: 500,
        loss: () => tf.square(w) as tf.Scalar,
        monitors: [settled],
        signal: controller.signal,
        ...(dir === undefined ? {} : { checkpoint: { dir, resume } }),
        onEpoch: (r) => r.epoch === abortAt && controller.abort(),
      });
      optimizer.dispose();
      w.dispose();
      return result;
    };
    const straight = await run();
    expect(straight.stopReason).toBe('converged');
    const dir = mkdtempSync(join(tmpdir(), 'spred-monitor-'));
    // Abort in the middle of a streak of unchanged epochs.
    const partial = await run(dir, straight.epochs - 2);
    expect(partial.stopReason).toBe('aborted');
    const resumed = await run(dir, undefined, true);
    expect(resumed.resumedFrom).toBe(straight.epochs - 2);
    expect(resumed.epochs).toBe(straight.epochs);
    expect(resumed.message).toBe(straight.message);
  });

  it('rejects a checkpoint combined with swapParameters', async () => {
    const w = tf.variable(tf.scalar(0));
    const optimizer = sgd([w]);
    await expect(
      train({
        optimizer,
        epochs: 1,
        loss: () => tf.square(w) as tf.Scalar,
        checkpoint: { dir: tmpdir() },
        swapParameters: () => undefined,
      }),
    ).rejects.toThrow(/checkpoint cannot be combined with swapParameters/);
    optimizer.dispose();
    w.dispose();
  });
});
