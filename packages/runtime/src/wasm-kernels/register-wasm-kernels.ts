import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { unsortedSegmentSumWasm } from './unsorted-segment-sum.js';

/**
 * Registers the kernels spred needs for training that the wasm backend lacks (the filter gradient
 * of conv2d, segment sums for the gradient of gather). Safe to call more than once; a kernel that a
 * later tfjs-backend-wasm ships is left alone.
 */
export function registerWasmKernels(): void {
  const kernels: [string, tf.KernelFunc][] = [
    ['Conv2DBackpropFilter', conv2dBackpropFilterWasm],
    ['UnsortedSegmentSum', unsortedSegmentSumWasm],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    }
  }
}
