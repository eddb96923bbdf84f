import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE_KERNEL, adamUpdateWasmKernel } from './adam-update.js';
import { fastTransposeBatchMatMul } from './batch-mat-mul.js';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { unsortedSegmentSumWasm } from './unsorted-segment-sum.js';

/** The wasm `BatchMatMul` kernels this module has wrapped (so a second call wraps nothing). */
const wrapped = new WeakSet<tf.KernelFunc>();

/**
 * Registers the kernels spred needs for training that the wasm backend lacks (the filter gradient
 * of conv2d, segment sums for the gradient of gather), spred's one-pass Adam step
 * (`SpredAdamUpdate`, which `@spredjs/optim`'s Adam calls where a backend has it), and replaces wasm's `BatchMatMul` by one
 * that transposes operands explicitly (see {@link fastTransposeBatchMatMul}: the backward pass of
 * every matrix product gets 2–12× faster). Safe to call more than once; a kernel that a later
 * tfjs-backend-wasm ships is left alone.
 */
export function registerWasmKernels(): void {
  const kernels: [string, tf.KernelFunc][] = [
    ['Conv2DBackpropFilter', conv2dBackpropFilterWasm],
    ['UnsortedSegmentSum', unsortedSegmentSumWasm],
    [ADAM_UPDATE_KERNEL, adamUpdateWasmKernel],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    }
  }
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (matMul !== undefined && !wrapped.has(matMul.kernelFunc)) {
    const fast = fastTransposeBatchMatMul(matMul.kernelFunc);
    wrapped.add(fast);
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel({ ...matMul, kernelFunc: fast });
  }
}
