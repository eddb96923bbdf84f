import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What spred reports of a WebGPU adapter (`GPUAdapterInfo`). */
export interface WebgpuAdapterFacts {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  /** A CPU emulation (SwiftShader, lavapipe, WARP): correct, but slower than wasm. */
  readonly software: boolean;
}

/** The part of a `GPUAdapter` this module reads (the project's `lib` has no DOM typings). */
export interface GpuAdapterLike {
  readonly info?: {
    readonly vendor?: string;
    readonly architecture?: string;
    readonly device?: string;
    readonly description?: string;
    readonly isFallbackAdapter?: boolean;
  };
  readonly isFallbackAdapter?: boolean;
}

/** `navigator.gpu`, as far as this module uses it. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

const SOFTWARE_DRIVER = /swiftshader|lavapipe|llvmpipe|\bwarp\b|software|basic render/i;

/** The facts of an adapter; `software` from `isFallbackAdapter` or a known CPU driver's name. */
export function adapterFacts(adapter: GpuAdapterLike): WebgpuAdapterFacts {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description ?? info.device ?? '';
  const software =
    info.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    SOFTWARE_DRIVER.test(`${vendor} ${architecture} ${description}`);
  return { vendor, architecture, description, software };
}

// A variable specifier: npm `webgpu` is an optional peer, not needed to build or bundle.
const DAWN_PACKAGE = 'webgpu';

/**
 * `navigator.gpu` of this process: the browser's, or in Node one made by npm `webgpu` (Dawn's
 * prebuilt binding, which loads `libvulkan.so.1`), installed as `navigator.gpu` together with the
 * WebGPU globals (`GPUBufferUsage`, …) that `@tensorflow/tfjs-backend-webgpu` reads at import.
 */
export async function installNavigatorGpu(): Promise<GpuLike> {
  const existing = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (existing !== undefined) return existing;
  const dawn = (await import(DAWN_PACKAGE)) as {
    create(flags: string[]): GpuLike;
    globals: object;
  };
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const navigator = (globalThis as { navigator?: object }).navigator;
  if (navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu },
      configurable: true,
      writable: true,
    });
  } else {
    Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true });
  }
  return gpu;
}

/** Why no adapter came back, for the skip reason. */
export function noAdapterReason(): string {
  const icd = process.env['VK_ICD_FILENAMES'] ?? process.env['VK_DRIVER_FILES'];
  return icd === undefined
    ? 'no WebGPU adapter (Dawn found no usable Vulkan driver; set VK_ICD_FILENAMES or VK_DRIVER_FILES to one, e.g. /usr/lib/chromium/vk_swiftshader_icd.json)'
    : `no WebGPU adapter from the Vulkan driver ${icd}`;
}

/** A Vulkan driver manifest (ICD JSON) the Vulkan loader would read. */
export interface VulkanDriver {
  readonly manifest: string;
  readonly library: string;
  /** lavapipe / llvmpipe / SwiftShader: a CPU emulation. */
  readonly software: boolean;
}

const ICD_DIRECTORIES = [
  '/etc/vulkan/icd.d',
  '/usr/local/etc/vulkan/icd.d',
  '/usr/share/vulkan/icd.d',
  '/usr/local/share/vulkan/icd.d',
];

/**
 * The Vulkan drivers Dawn would see on Linux, without loading Dawn (whose adapter search prints
 * native warnings): the manifests named by `VK_DRIVER_FILES` / `VK_ICD_FILENAMES`, else those in
 * the loader's standard folders.
 */
export function vulkanDrivers(env: Readonly<Record<string, string | undefined>>): VulkanDriver[] {
  const named = env['VK_DRIVER_FILES'] ?? env['VK_ICD_FILENAMES'];
  const manifests =
    named !== undefined && named.trim() !== ''
      ? named.split(':').filter((m) => m !== '')
      : ICD_DIRECTORIES.flatMap((dir) => {
          try {
            return readdirSync(dir)
              .filter((f) => f.endsWith('.json'))
              .map((f) => join(dir, f));
          } catch {
            return [];
          }
        });
  return manifests.flatMap((manifest) => {
    let library = '';
    try {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {
        ICD?: { library_path?: string };
      };
      library = parsed.ICD?.library_path ?? '';
    } catch {
      return [];
    }
    const software = /lvp|lavapipe|llvmpipe|swiftshader/i.test(`${manifest} ${library}`);
    return [{ manifest, library, software }];
  });
}

/**
 * Whether Linux shows a GPU device node (`/dev/dri/renderD*`, `/dev/nvidia*`): without one, every
 * hardware Vulkan driver fails and only software ones can give an adapter.
 */
export function hasGpuDeviceNode(): boolean {
  const listed = (dir: string, pattern: RegExp) => {
    try {
      return readdirSync(dir).some((f) => pattern.test(f));
    } catch {
      return false;
    }
  };
  return listed('/dev/dri', /^renderD\d+$/) || listed('/dev', /^nvidia\d+$/);
}
