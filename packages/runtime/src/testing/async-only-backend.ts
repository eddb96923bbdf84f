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

/**
 * Runs `f` on {@link ASYNC_ONLY_BACKEND} and then on `cpu`, restoring the backend that was active,
 * and returns both results to compare: the proof that `f` reads only asynchronously and gives on
 * such a backend what it gives on cpu. Throws if the async-only backend does not refuse a
 * synchronous read (so the proof cannot pass vacuously).
 *
 * @example
 * ```ts
 * const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(() => fitSomething());
 * expect(asyncOnly).toEqual(cpu);
 * ```
 */
export async function onAsyncOnlyAndCpu<T>(f: () => Promise<T>): Promise<{ asyncOnly: T; cpu: T }> {
  registerAsyncOnlyBackend();
  const previous = tf.getBackend();
  try {
    await tf.setBackend(ASYNC_ONLY_BACKEND);
    const probe = tf.scalar(1);
    let refused = false;
    try {
      probe.dataSync();
    } catch {
      refused = true;
    } finally {
      probe.dispose();
    }
    if (!refused) throw new Error(`${ASYNC_ONLY_BACKEND} did not refuse a synchronous read`);
    const asyncOnly = await f();
    await tf.setBackend('cpu');
    const cpu = await f();
    return { asyncOnly, cpu };
  } finally {
    await tf.setBackend(previous);
  }
}
