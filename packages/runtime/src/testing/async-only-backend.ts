import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { registerCpuKernels } from '../cpu-kernels/register-cpu-kernels.js';

/** The name {@link registerAsyncOnlyBackend} registers. */
export const ASYNC_ONLY_BACKEND = 'cpu-async-only';

/**
 * Registers `cpu-async-only`: the plain-JS backend with every kernel of `cpu`, whose synchronous
 * read (`dataSync`, `arraySync`, `bufferSync`) throws as it does on WebGPU in Node
 * ("OffscreenCanvas is not defined"). Code that runs there reads only through `await data()`.
 * Safe to call more than once.
 *
 * @example
 * ```ts
 * registerAsyncOnlyBackend();
 * await tf.setBackend(ASYNC_ONLY_BACKEND);
 * await train({ ... }); // throws if anything in it reads synchronously
 * ```
 */
export function registerAsyncOnlyBackend(): void {
  if (tf.findBackendFactory(ASYNC_ONLY_BACKEND) !== null) return;
  registerCpuKernels();
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    tf.registerKernel({ ...kernel, backendName: ASYNC_ONLY_BACKEND });
  }
  tf.registerBackend(ASYNC_ONLY_BACKEND, () => {
    const backend = new MathBackendCPU();
    asyncOnly.add(backend);
    return backend;
  });
  // Kernels read their inputs through the backend itself; only the tensor-level synchronous read
  // (engine.readSync, behind dataSync, arraySync and bufferSync) is refused.
  const engine = tf.engine() as unknown as EngineReads;
  const readSync = engine.readSync.bind(engine);
  engine.readSync = (dataId: object) => {
    if (asyncOnly.has(engine.state.tensorInfo.get(dataId)?.backend ?? {})) {
      throw new Error(
        `synchronous read on ${ASYNC_ONLY_BACKEND} (as on WebGPU in Node): use await data()`,
      );
    }
    return readSync(dataId);
  };
}

/** Backends made by the factory registered above. */
const asyncOnly = new WeakSet<object>();

/** The engine's read path, as far as this module patches it. */
interface EngineReads {
  readSync(dataId: object): unknown;
  readonly state: { readonly tensorInfo: { get(dataId: object): { backend: object } | undefined } };
}
