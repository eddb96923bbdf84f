import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hadamard } from '@spredjs/core';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
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
  it('trains a spred lasso to the same answer as on cpu, to the closed form', async () => {
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(fitLasso);
    asyncOnly.coef.forEach((c, j) => {
      expect(c).toBeCloseTo(cpu.coef[j] as number, 6);
      expect(c).toBeCloseTo(asyncOnly.exact[j] as number, 2);
    });
    expect(asyncOnly.losses).toEqual(cpu.losses);
  });
});
