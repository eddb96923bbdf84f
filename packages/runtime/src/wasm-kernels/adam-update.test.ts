import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernels } from '../cpu-kernels/register-cpu-kernels.js';
import { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs } from './adam-update.js';
import { registerWasmKernels } from './register-wasm-kernels.js';

const n = 1003; // 250 SIMD groups of four and a tail of three
const uniform = (seed: number, lo: number, hi: number) =>
  Float32Array.from(
    { length: n },
    (_, i) => lo + (hi - lo) * (((i * 7919 + seed * 104729) % 1000) / 1000),
  );
const x = uniform(1, -2, 2);
const g = uniform(2, -1, 1);
const m = uniform(3, -0.5, 0.5);
const v = uniform(4, 0, 0.3);
const attrs: AdamUpdateAttrs = {
  learningRate: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  firstCorrection: 1 / (1 - 0.9 ** 4),
  secondCorrection: 1 / (1 - 0.999 ** 4),
  coupledDecay: 0.2,
  shrink: 0.995,
};

/** Adam's step in float64, written out independently of both kernels. */
function reference(): [number[], number[], number[]] {
  const xo: number[] = [];
  const mo: number[] = [];
  const vo: number[] = [];
  for (let i = 0; i < n; i++) {
    const gi = (g[i] as number) + attrs.coupledDecay * (x[i] as number);
    const mi = attrs.beta1 * (m[i] as number) + (1 - attrs.beta1) * gi;
    const vi = attrs.beta2 * (v[i] as number) + (1 - attrs.beta2) * gi * gi;
    const mHat = mi * attrs.firstCorrection;
    const vHat = vi * attrs.secondCorrection;
    xo.push(
      attrs.shrink * (x[i] as number) -
        (attrs.learningRate * mHat) / (Math.sqrt(vHat) + attrs.epsilon),
    );
    mo.push(mi);
    vo.push(vi);
  }
  return [xo, mo, vo];
}

async function run(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const inputs = {
    x: tf.tensor1d(x),
    gradient: tf.tensor1d(g),
    m: tf.tensor1d(m),
    v: tf.tensor1d(v),
  };
  const outs = tf
    .engine()
    .runKernel(ADAM_UPDATE_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const values = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([...outs, ...Object.values(inputs)]);
  return values;
}

describe(`${ADAM_UPDATE_KERNEL}: Adam's step in one pass`, () => {
  let previous: string;
  beforeAll(() => {
    previous = tf.getBackend();
    registerWasmKernels();
    registerCpuKernels();
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  for (const backend of ['wasm', 'cpu']) {
    it(`on ${backend} matches a float64 reference to float32 rounding, tail included`, async () => {
      const got = await run(backend);
      const want = reference();
      got.forEach((values, k) => {
        const expected = want[k] as number[];
        const scale = Math.max(...expected.map(Math.abs));
        let worst = 0;
        for (let i = 0; i < n; i++)
          worst = Math.max(worst, Math.abs((values[i] as number) - (expected[i] as number)));
        expect(worst / scale).toBeLessThan(1e-6);
      });
    });
  }
});
