import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE_KERNEL } from '../wasm-kernels/adam-update.js';
import { adamUpdateCpuKernel } from './adam-update-cpu.js';

/**
 * Registers spred's one-pass Adam step (`SpredAdamUpdate`) on the plain-JS backend. Safe to call
 * more than once.
 */
export function registerCpuKernels(): void {
  if (tf.getKernel(ADAM_UPDATE_KERNEL, 'cpu') === undefined) {
    tf.registerKernel({
      kernelName: ADAM_UPDATE_KERNEL,
      backendName: 'cpu',
      kernelFunc: adamUpdateCpuKernel,
    });
  }
}
