import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SpredInputError } from '../errors.js';
import { grouped } from './grouped.js';
import { hadamard } from './hadamard.js';
import type { Reparametrization } from './reparametrization.js';

/** The factors and the collapse at 0.1 of a parametrization, read with `await data()`. */
async function readout(p: Reparametrization): Promise<number[][]> {
  const collapsed = p.collapse({ threshold: 0.1 });
  const values: number[][] = [];
  for (const t of [...p.variables, collapsed]) values.push([...(await t.data())]);
  collapsed.dispose();
  return values;
}

// Where synchronous reads throw (WebGPU in Node) it is the only right inverse; the layers'
// spredify and collapse run through it, tested on such a backend in @spredjs/layers.
describe('assignAsync: the right inverse with its one read through await data()', () => {
  it('gives the balanced factors and exact zeros of assign, bit for bit, for L1 and groups', async () => {
    const values = [0.3, -2, 0, 1.25, -0.01, 0.5];
    const cases = [
      () => hadamard([2, 3], { kappa: 0.7 }),
      () => grouped([2, 3], { axis: 1, kappa: 0.7 }),
      () => hadamard([2, 3], { kappa: 0.7, depth: 3 }),
    ];
    for (const make of cases) {
      const [sync, async] = [make(), make()];
      sync.assign(values);
      const v = tf.tensor2d(values, [2, 3]);
      await async.assignAsync(v);
      expect(await readout(async)).toEqual(await readout(sync));
      v.dispose();
      await async.assignAsync(values, { factorization: 'unit-scales' });
      sync.assign(values, { factorization: 'unit-scales' });
      expect(await readout(async)).toEqual(await readout(sync));
      sync.dispose();
      async.dispose();
    }
  });

  it('refuses NaN and a wrong shape as assign does, and frees what it made', async () => {
    const p = hadamard([2], { kappa: 1 });
    const before = tf.memory().numTensors;
    await expect(p.assignAsync([1, Number.NaN])).rejects.toThrow(SpredInputError);
    await expect(p.assignAsync([1, 2, 3])).rejects.toThrow(
      /has shape \[3\] but the parameter has shape \[2\]/,
    );
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
});
