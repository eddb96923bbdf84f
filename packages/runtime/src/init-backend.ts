import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { SpredBackendError } from './errors.js';
import {
  BACKEND_CANDIDATES,
  UnknownBackendName,
  isRegistered,
  parseBackendId,
  type BackendCandidate,
  type BackendId,
} from './backend-candidates.js';
import { registerGradients } from './register-gradients.js';

/** A backend that was not used, and why. */
export interface SkippedBackend {
  readonly id: BackendId;
  readonly reason: string;
}

/** What {@link initBackend} chose. */
export interface BackendChoice {
  readonly id: BackendId;
  /** The name tfjs knows it by (`tf.getBackend()`). */
  readonly tfjsName: string;
  readonly packageName: string;
  /** Set when the backend was pinned rather than found by trying in order. */
  readonly pinnedBy?: 'option' | 'SPRED_BACKEND';
  /** Backends tried before this one (or not tried because one was pinned), with the reason. */
  readonly skipped: readonly SkippedBackend[];
  /** Backend-specific facts worth printing (wasm SIMD and threads; the WebGPU adapter). */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

export interface InitBackendOptions {
  /** Pin one backend by id (or alias); overrides `SPRED_BACKEND`. */
  readonly backend?: string;
  /** Environment to read `SPRED_BACKEND` from; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

let current: Promise<BackendChoice> | undefined;
let currentKey: string | undefined;

/**
 * Chooses the tfjs backend for this process, registers gradients, and says what it chose. Tries
 * native GPU (`@tensorflow/tfjs-node-gpu`), WebGPU (`@tensorflow/tfjs-backend-webgpu`, in Node on
 * npm `webgpu`; chosen only on a hardware adapter, a software one such as SwiftShader must be
 * pinned), native CPU (`@tensorflow/tfjs-node`), WebAssembly and plain JavaScript, in that order, unless one is pinned by `options.backend` or `SPRED_BACKEND`;
 * a pinned backend that cannot load throws {@link SpredBackendError} instead of falling back.
 * Calling it again with the same request returns the same choice.
 *
 * @example
 * ```ts
 * const choice = await initBackend({ backend: process.env.MY_FLAG });
 * console.log(`backend: ${choice.id}`);
 * ```
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const env = options.env ?? process.env;
  const requested = options.backend ?? env['SPRED_BACKEND'];
  const key = requested ?? '';
  if (current !== undefined && currentKey === key) return current;
  currentKey = key;
  current = choose(requested, options.backend !== undefined ? 'option' : 'SPRED_BACKEND');
  current.catch(() => {
    current = undefined;
    currentKey = undefined;
  });
  return current;
}

async function choose(
  requested: string | undefined,
  source: 'option' | 'SPRED_BACKEND',
): Promise<BackendChoice> {
  await registerGradients();
  // tfjs prints advice on first use of the JS backend; spred reports the backend itself.
  tf.env().set('PROD', true);
  if (requested !== undefined && requested.trim() !== '') {
    let id: BackendId;
    try {
      id = parseBackendId(requested);
    } catch (e) {
      if (e instanceof UnknownBackendName) {
        throw new SpredBackendError(
          `${source === 'option' ? '--backend' : 'SPRED_BACKEND'}: ${e.message}`,
        );
      }
      throw e;
    }
    const candidate = BACKEND_CANDIDATES.find((c) => c.id === id) as BackendCandidate;
    const tried = await tryCandidate(candidate, true);
    if (tried.failure !== undefined) {
      throw new SpredBackendError(
        `backend '${id}' was asked for but cannot be used: ${tried.failure}`,
      );
    }
    const skipped = BACKEND_CANDIDATES.filter((c) => c.id !== id).map((c) => ({
      id: c.id,
      reason: `not tried: '${id}' was pinned by ${source === 'option' ? '--backend' : 'SPRED_BACKEND'}`,
    }));
    return describe(candidate, skipped, source, tried.details);
  }
  const skipped: SkippedBackend[] = [];
  for (const candidate of BACKEND_CANDIDATES) {
    const tried = await tryCandidate(candidate, false);
    if (tried.failure === undefined) return describe(candidate, skipped, undefined, tried.details);
    skipped.push({ id: candidate.id, reason: tried.failure });
  }
  throw new SpredBackendError(
    `no tfjs backend could be loaded: ${skipped.map((s) => `${s.id}: ${s.reason}`).join('; ')}`,
  );
}

/** What trying one candidate gave: why it is not used, or the facts of the backend now active. */
interface Tried {
  readonly failure?: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** Loads, probes and activates one candidate (a pinned one ignores a probe's skip advice). */
async function tryCandidate(candidate: BackendCandidate, pinned: boolean): Promise<Tried> {
  // A package that does not resolve may still be bundled into the app (esbuild): try loading it.
  const missing = [candidate.packageName, ...(candidate.requires ?? [])].filter(
    (name) => !isInstalled(name),
  );
  if (missing.length > 0) {
    try {
      await candidate.load();
    } catch {
      return {
        failure: `${missing[0]} is not installed (optional${candidate.id.startsWith('node') ? '; its installer downloads libtensorflow' : ''})`,
      };
    }
  }
  let details: Tried['details'];
  if (candidate.probe !== undefined) {
    try {
      const probe = await candidate.probe(pinned);
      if (probe.failure !== undefined) return { failure: probe.failure };
      if (probe.skipUnlessPinned !== undefined && !pinned)
        return { failure: probe.skipUnlessPinned };
      details = probe.details;
    } catch (e) {
      return { failure: `probe failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  try {
    await candidate.load();
  } catch (e) {
    return { failure: explainLoadFailure(candidate, e) };
  }
  if (!isRegistered(candidate.tfjsName)) {
    return {
      failure: `${candidate.packageName} loaded but registered no '${candidate.tfjsName}' backend in this @tensorflow/tfjs-core (two tfjs-core versions installed?)`,
    };
  }
  try {
    const ok = await tf.setBackend(candidate.tfjsName);
    if (!ok) return { failure: `tfjs could not initialize the '${candidate.tfjsName}' backend` };
    await tf.ready();
  } catch (e) {
    return { failure: `initialization failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (candidate.id === 'webgpu') destroyDeviceAtExit();
  return details === undefined ? {} : { details };
}

/** The WebGPU device is destroyed when the process exits, so that Dawn lets it end. */
function destroyDeviceAtExit(): void {
  const device = (tf.backend() as { device?: { destroy?: () => void } }).device;
  if (typeof device?.destroy === 'function') process.once('exit', () => device.destroy?.());
}

function explainLoadFailure(candidate: BackendCandidate, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  return `${candidate.packageName} failed to load: ${firstLine}`;
}

function describe(
  candidate: BackendCandidate,
  skipped: readonly SkippedBackend[],
  pinnedBy: 'option' | 'SPRED_BACKEND' | undefined,
  probed: Readonly<Record<string, string | number | boolean>> = {},
): BackendChoice {
  const details: Record<string, string | number | boolean> = { ...probed };
  if (candidate.id === 'wasm') {
    details['simd'] = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    details['threads'] = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  }
  return {
    id: candidate.id,
    tfjsName: candidate.tfjsName,
    packageName: candidate.packageName,
    ...(pinnedBy === undefined ? {} : { pinnedBy }),
    skipped,
    details,
  };
}

/** One line for logs: `backend: wasm (simd=true, threads=false)`. */
export function formatBackendChoice(choice: BackendChoice): string {
  const facts = Object.entries(choice.details).map(([k, v]) => `${k}=${String(v)}`);
  const pinned = choice.pinnedBy === undefined ? '' : `, pinned by ${choice.pinnedBy}`;
  const inner = [...facts].join(', ');
  return `backend: ${choice.id}${inner === '' ? '' : ` (${inner})`}${pinned}`;
}

const requireFromHere = createRequire(import.meta.url);

/** Whether a package resolves from here, told apart from a package that is present but broken. */
function isInstalled(packageName: string): boolean {
  try {
    requireFromHere.resolve(`${packageName}/package.json`);
    return true;
  } catch {
    return false;
  }
}
