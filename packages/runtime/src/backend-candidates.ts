import * as tf from '@tensorflow/tfjs-core';
import { registerCpuKernels } from './cpu-kernels/register-cpu-kernels.js';
import { registerWasmKernels } from './wasm-kernels/register-wasm-kernels.js';

/** The backends spred can run on, fastest first. */
export const BACKEND_IDS = ['node-gpu', 'node', 'wasm', 'cpu'] as const;

/** Name of one backend spred can run on. `node-gpu` and `node` are libtensorflow through N-API. */
export type BackendId = (typeof BACKEND_IDS)[number];

/** How one backend is loaded: its npm package and the name tfjs registers it under. */
export interface BackendCandidate {
  readonly id: BackendId;
  readonly packageName: string;
  readonly tfjsName: string;
  /** Imports the package (which registers the backend) and prepares spred's extra kernels. */
  load(): Promise<void>;
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
