/** Whether this browser offers WebGPU, and if not, why not. */
export interface WebgpuOffer {
  readonly offered: boolean;
  /** The adapter's vendor and architecture when offered; what is missing when not. */
  readonly detail: string;
}

/**
 * The part of the WebGPU API asked here, declared locally: the global types that
 * tfjs-backend-webgpu pulls in (@webgpu/types 0.1.38) predate `adapter.info`.
 */
interface GpuAdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly description?: string;
}
interface Gpu {
  requestAdapter(): Promise<{ readonly info?: GpuAdapterInfo } | null>;
}

/**
 * Asks the browser for a WebGPU adapter the way tfjs-backend-webgpu will: `navigator.gpu` must
 * exist (secure contexts only) and `requestAdapter()` must return one. tfjs registers its webgpu
 * backend whenever `navigator.gpu` exists, and then fails inside `setBackend` without an adapter,
 * so the page asks first and can say which of the two is missing.
 *
 * @example
 * ```ts
 * const { offered, detail } = await webgpuOffered();
 * if (!offered) console.log(`webgpu not offered: ${detail}`);
 * ```
 */
export async function webgpuOffered(): Promise<WebgpuOffer> {
  const gpu = (navigator as unknown as { readonly gpu?: Gpu }).gpu;
  if (gpu === undefined) return { offered: false, detail: 'navigator.gpu is undefined' };
  const adapter = await gpu.requestAdapter();
  if (adapter === null)
    return { offered: false, detail: 'navigator.gpu.requestAdapter() returned null' };
  const info = adapter.info ?? {};
  const detail = [info.vendor, info.architecture, info.description]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  return { offered: true, detail: detail === '' ? 'an adapter without info' : detail };
}
