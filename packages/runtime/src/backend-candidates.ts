import * as tf from '@tensorflow/tfjs-core';
import { registerCpuKernels } from './cpu-kernels/register-cpu-kernels.js';
import { registerWasmKernels } from './wasm-kernels/register-wasm-kernels.js';
import { basename } from 'node:path';
import {
  adapterFacts,
  hasGpuDeviceNode,
  installNavigatorGpu,
  noAdapterReason,
  vulkanDrivers,
} from './webgpu/webgpu-adapter.js';

function hasNavigatorGpu(): boolean {
  return (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
}

/** The backends spred can run on, fastest first. */
export const BACKEND_IDS = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;

/**
 * Name of one backend spred can run on. `node-gpu` and `node` are libtensorflow through N-API;
 * `webgpu` is `@tensorflow/tfjs-backend-webgpu` on the browser's WebGPU or, in Node, on Dawn
 * (npm `webgpu`), where every read must be asynchronous.
 */
export type BackendId = (typeof BACKEND_IDS)[number];

/** What a candidate's probe found before it is activated. */
export interface BackendProbe {
  /** Set when the backend should not be chosen automatically (it may still be pinned). */
  readonly skipUnlessPinned?: string;
  /** Set when the backend cannot be used at all. */
  readonly failure?: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** How one backend is loaded: its npm package and the name tfjs registers it under. */
export interface BackendCandidate {
  readonly id: BackendId;
  readonly packageName: string;
  readonly tfjsName: string;
  /** Other packages it needs installed (besides `packageName`). */
  readonly requires?: readonly string[];
  /** Imports the package (which registers the backend) and prepares spred's extra kernels. */
  load(): Promise<void>;
  /** Before activation (and before `load`): whether to use it, and facts to report. */
  probe?(pinned: boolean): Promise<BackendProbe>;
}

// The native packages are optional peers: a variable specifier keeps bundlers and tsc from
// requiring them to be installed.
async function importOptional(packageName: string): Promise<void> {
  await import(packageName);
}

export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [
  {
    id: 'node-gpu',
    packageName: '@tensorflow/tfjs-node-gpu',
    tfjsName: 'tensorflow',
    load: () => importOptional('@tensorflow/tfjs-node-gpu'),
  },
  {
    id: 'webgpu',
    packageName: '@tensorflow/tfjs-backend-webgpu',
    tfjsName: 'webgpu',
    requires: hasNavigatorGpu() ? [] : ['webgpu'],
    load: async () => {
      await installNavigatorGpu();
      // A literal specifier, so that bundlers (the GPU check's esbuild bundle) include it.
      await import('@tensorflow/tfjs-backend-webgpu');
    },
    probe: async (pinned) => {
      if (!hasNavigatorGpu() && process.platform === 'linux') {
        // Dawn's own adapter search prints native warnings: look at the Vulkan drivers first.
        const drivers = vulkanDrivers(process.env);
        if (drivers.length === 0) {
          return {
            failure:
              'no Vulkan driver found (apt-get install libvulkan1 and a GPU driver, or set VK_DRIVER_FILES to its ICD manifest)',
          };
        }
        if (!pinned && (drivers.every((d) => d.software) || !hasGpuDeviceNode())) {
          const software = drivers.every((d) => d.software);
          return {
            skipUnlessPinned: `${software ? `only software Vulkan drivers (${drivers.map((d) => basename(d.manifest)).join(', ')})` : 'no GPU device (/dev/dri/renderD*, /dev/nvidia*)'}; a software adapter can be pinned: --backend webgpu with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json`,
          };
        }
      }
      const gpu = await installNavigatorGpu();
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (adapter === null) return { failure: noAdapterReason() };
      const facts = adapterFacts(adapter);
      const details = {
        vendor: facts.vendor,
        architecture: facts.architecture,
        description: facts.description,
      };
      return facts.software && !pinned
        ? {
            skipUnlessPinned: `software adapter (${facts.vendor} ${facts.architecture}: a CPU emulation, slower than wasm); pin it with --backend webgpu`,
          }
        : { details };
    },
  },
  {
    id: 'node',
    packageName: '@tensorflow/tfjs-node',
    tfjsName: 'tensorflow',
    load: () => importOptional('@tensorflow/tfjs-node'),
  },
  {
    id: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    tfjsName: 'wasm',
    load: async () => {
      await import('@tensorflow/tfjs-backend-wasm');
      registerWasmKernels();
    },
  },
  {
    id: 'cpu',
    packageName: '@tensorflow/tfjs-backend-cpu',
    tfjsName: 'cpu',
    load: async () => {
      await import('@tensorflow/tfjs-backend-cpu');
      registerCpuKernels();
    },
  },
];

/** Accepts the spred ids plus the names users know from tfjs (`tensorflow` means native CPU). */
export function parseBackendId(name: string): BackendId {
  const normalized = name.trim().toLowerCase();
  const aliases: Record<string, BackendId> = {
    tensorflow: 'node',
    'tfjs-node': 'node',
    'tfjs-node-gpu': 'node-gpu',
    gpu: 'node-gpu',
    js: 'cpu',
  };
  const id = aliases[normalized] ?? normalized;
  if ((BACKEND_IDS as readonly string[]).includes(id)) return id as BackendId;
  throw new UnknownBackendName(name);
}

export class UnknownBackendName extends Error {
  constructor(readonly requested: string) {
    super(`unknown backend '${requested}': expected one of ${BACKEND_IDS.join(', ')}`);
  }
}

/** True when the tfjs engine this package sees has a backend registered under `tfjsName`. */
export function isRegistered(tfjsName: string): boolean {
  return tf.findBackendFactory(tfjsName) !== null;
}
