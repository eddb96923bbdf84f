import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hadamard } from '@spred/core';
import { ASYNC_ONLY_BACKEND, registerAsyncOnlyBackend } from '@spred/runtime/testing';
import { GroupedOptimizer } from '../optimizers/grouped-optimizer.js';
import { orthogonalLasso } from '../testing/orthogonal-lasso.js';
import { cosineSchedule } from '../schedules/fixed-schedules.js';
import { train } from './train.js';

/** Trains a spred lasso (Adam, coupled l2 = 2κ, seeded mini-batches) and reads it back asynchronously. */
async function fitLasso(): Promise<{ coef: number[]; exact: number[]; losses: number[] }> {
  const alpha = 0.1;
  const problem = orthogonalLasso(alpha);
  const coef = hadamard([problem.d, 1], { kappa: alpha / 2, seed: 1 });
  const optimizer = new GroupedOptimizer({ kind: 'adam', learningRate: 0.02 }, [
    { variables: coef.variables, l2: alpha },
  ]);
  const result = await train({
    optimizer,
    data: [problem.X, problem.Y],
    batchSize: 8,
    epochs: 600,
    seed: 3,
    schedule: cosineSchedule({ epochs: 600 }),
    loss: ([x, y]) =>
      tf.div(
        tf.sum(tf.square(tf.sub(y as tf.Tensor, tf.matMul(x as tf.Tensor, coef.value())))),
        2 * (x as tf.Tensor).shape[0]!,
      ) as tf.Scalar,
  });
  const v = coef.value();
  const values = Array.from(await v.data());
  tf.dispose(v);
  optimizer.dispose();
  coef.dispose();
  problem.dispose();
  return { coef: values, exact: problem.exact, losses: result.history.map((h) => h.loss) };
}

describe('train() where synchronous reads throw (as on WebGPU in Node)', () => {
  let previous: string;
  beforeAll(() => {
    previous = tf.getBackend();
    registerAsyncOnlyBackend();
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('the backend really refuses dataSync', async () => {
    await tf.setBackend(ASYNC_ONLY_BACKEND);
    const t = tf.tensor1d([1, 2]);
    expect(() => t.dataSync()).toThrow(/synchronous read/);
    expect(Array.from(await t.data())).toEqual([1, 2]);
    t.dispose();
  });

  it('trains a spred lasso to the same answer as on cpu, to the closed form', async () => {
    await tf.setBackend(ASYNC_ONLY_BACKEND);
    const asyncOnly = await fitLasso();
    await tf.setBackend('cpu');
    const cpu = await fitLasso();
    asyncOnly.coef.forEach((c, j) => {
      expect(c).toBeCloseTo(cpu.coef[j] as number, 6);
      expect(c).toBeCloseTo(asyncOnly.exact[j] as number, 2);
    });
    expect(asyncOnly.losses).toEqual(cpu.losses);
  });
});
