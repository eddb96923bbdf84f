import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './register-wasm-kernels.js';

/** Runs f on a backend and returns plain values, so results from two backends can be compared. */
async function on(backend: string, f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = f();
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

function expectClose(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  expect(worst).toBeLessThan(tol);
}

describe('wasm kernels spred registers', () => {
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    registerWasmKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  const cases: {
    name: string;
    x: [number, number, number, number];
    k: [number, number];
    stride: number;
    pad: 'same' | 'valid';
  }[] = [
    { name: '3x3 same stride 1', x: [2, 8, 8, 3], k: [3, 3], stride: 1, pad: 'same' },
    { name: '3x3 same stride 2', x: [2, 9, 8, 4], k: [3, 3], stride: 2, pad: 'same' },
    {
      name: '3x3 valid stride 2, unread edge',
      x: [1, 10, 9, 2],
      k: [3, 3],
      stride: 2,
      pad: 'valid',
    },
    { name: '1x1 stride 2 (ResNet shortcut)', x: [3, 8, 8, 5], k: [1, 1], stride: 2, pad: 'valid' },
    { name: '5x3 valid stride 1', x: [2, 7, 6, 2], k: [5, 3], stride: 1, pad: 'valid' },
  ];
  for (const c of cases) {
    it(`conv2d filter gradient matches the cpu backend: ${c.name}`, async () => {
      const loss = () => {
        const x = tf.randomNormal(c.x, 0, 1, 'float32', 1);
        const filter = tf.randomNormal([c.k[0], c.k[1], c.x[3], 6], 0, 1, 'float32', 2);
        return tf.grad((f: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad))),
        )(filter);
      };
      const onWasm = await on('wasm', loss);
      const onCpu = await on('cpu', loss);
      const scale = onCpu.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(onWasm, onCpu, 1e-4 * scale);
    });
  }

  it('segment sums (the gradient of gather) match the cpu backend', async () => {
    const f = () =>
      tf.grad((p: tf.Tensor) =>
        tf.sum(tf.mul(tf.gather(p, tf.tensor1d([0, 2, 2, 1, 0, 2], 'int32')), tf.range(1, 7))),
      )(tf.tensor1d([1, 2, 3]));
    const onWasm = await on('wasm', f);
    const onCpu = await on('cpu', f);
    expect(Array.from(onCpu)).toEqual([1 + 5, 4, 2 + 3 + 6]);
    expectClose(onWasm, onCpu, 1e-6);
  });

  const products: { name: string; a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { name: 'Aᵀ·B', a: [7, 5], b: [7, 3], ta: true, tb: false },
    { name: 'A·Bᵀ', a: [5, 7], b: [3, 7], ta: false, tb: true },
    { name: 'Aᵀ·Bᵀ', a: [7, 5], b: [3, 7], ta: true, tb: true },
    { name: 'batched Aᵀ·B', a: [2, 6, 4], b: [2, 6, 3], ta: true, tb: false },
    { name: 'batched A·Bᵀ, broadcast batch', a: [1, 4, 6], b: [3, 5, 6], ta: false, tb: true },
  ];
  for (const c of products) {
    it(`matrix products with transposed operands match the cpu backend: ${c.name}`, async () => {
      const f = () =>
        tf.tidy(() =>
          tf.matMul(
            tf.randomNormal(c.a, 0, 1, 'float32', 3),
            tf.randomNormal(c.b, 0, 1, 'float32', 4),
            c.ta,
            c.tb,
          ),
        );
      await tf.setBackend('wasm');
      const buffers = tf.engine().backend.numDataIds();
      const onWasm = await on('wasm', f);
      // The transposed copies are freed: no wasm buffer outlives the product.
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
      const onCpu = await on('cpu', f);
      expectClose(onWasm, onCpu, 1e-5);
    });
  }

  it('the backward pass of a matrix product (both transposed products) matches the cpu backend', async () => {
    const f = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([9, 13], 0, 1, 'float32', 5);
        const w = tf.randomNormal([13, 4], 0, 1, 'float32', 6);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D))),
        )([x, w]);
        return tf.concat([tf.reshape(dx as tf.Tensor, [-1]), tf.reshape(dw as tf.Tensor, [-1])]);
      });
    expectClose(await on('wasm', f), await on('cpu', f), 1e-3);
  });

  it('wraps the wasm matrix product once, however often it is called', () => {
    const first = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    registerWasmKernels();
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(first);
  });
});
