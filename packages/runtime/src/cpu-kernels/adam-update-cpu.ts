import type * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { AdamUpdateAttrs } from '../wasm-kernels/adam-update.js';
import { adamLoop } from './adam-loop.js';

/**
 * Adam's whole step for one variable in one loop on the plain-JS backend (tfjs's Adam is 13
 * kernels, each a pass and an allocation). Returns [x', m', v'].
 */
export const adamUpdateCpuKernel: tf.KernelFunc = (args) => {
  const backend = args.backend as MathBackendCPU;
  const { x, gradient, m, v } = args.inputs as Record<'x' | 'gradient' | 'm' | 'v', tf.TensorInfo>;
  const read = (t: tf.TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const n = x.shape.reduce((p, q) => p * q, 1);
  const [xOut, mOut, vOut] = [0, 1, 2].map(() => new Float32Array(n)) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  adamLoop(
    { x: read(x), gradient: read(gradient), m: read(m), v: read(v), xOut, mOut, vOut },
    args.attrs as unknown as AdamUpdateAttrs,
  );
  return [
    backend.makeTensorInfo([...x.shape], 'float32', xOut),
    backend.makeTensorInfo([...m.shape], 'float32', mOut),
    backend.makeTensorInfo([...v.shape], 'float32', vOut),
  ];
};
