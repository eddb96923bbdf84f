import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SpredInputError } from '@spredjs/core';
import { openResultsFolder, writeJsonAtomic } from '@spredjs/io';
import type { LabeledData } from '../data/labeled-data.js';
import {
  resolveProtocol,
  type MethodName,
  type ProtocolOptions,
  type ResolvedProtocol,
} from '../protocol/method-options.js';
import type { MethodRun } from '../protocol/run-method.js';
import { stratifiedSplits, type Split } from '../protocol/stratified-splits.js';
import { runSweepJob } from './run-sweep-job.js';
import { runFileName, type SweepJob, type SweepWorkerMessage } from './sweep-job.js';

/** Options of {@link runSweep}. */
export interface SweepOptions extends ProtocolOptions {
  readonly methods: readonly MethodName[];
  /** Random stratified 60/20/20 splits. Default 20 (the paper's). */
  readonly repeats?: number;
  /**
   * Worker threads; 0 runs every job in this thread. Default: one per core when `workerUrl` is
   * given, else 0.
   */
  readonly workers?: number;
  /** Folder for one JSON file per finished job; a rerun with the same configuration skips them. */
  readonly resultsDir?: string;
  /** Backend the workers pin (default: their own choice, same order as the main thread's). */
  readonly backend?: string;
  /** Called after every finished job (also for jobs read back from `resultsDir`). */
  readonly onProgress?: (progress: SweepProgress) => void;
  /** Stops dispatching; running jobs are abandoned, finished ones kept. */
  readonly signal?: AbortSignal;
  /**
   * The worker script, needed for `workers > 0`: the caller's (an app's), which chooses the
   * backend and then calls {@link serveSweepJobs}. Libraries choose no backend, so there is no
   * default.
   */
  readonly workerUrl?: URL | string;
}

/** Where a sweep stands. */
export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly run: MethodRun;
  /** True when the result was read back from an earlier, interrupted sweep. */
  readonly resumed: boolean;
}

/** Every finished run of a sweep, and the splits they used. */
export interface SweepResult {
  readonly runs: readonly MethodRun[];
  readonly splits: readonly Split[];
  readonly protocol: ResolvedProtocol;
  /** False when it was interrupted before every job finished. */
  readonly complete: boolean;
  readonly workers: number;
}

/**
 * The paper's protocol over repeats and methods: R stratified train/dev/test splits (seeded), every
 * method on every split with its grid chosen on dev, jobs spread over worker threads (one per core
 * by default, given the app's `workerUrl`). With `resultsDir` every finished job is saved at once, and a rerun of the same
 * configuration resumes from them; a different configuration in the same folder is an error.
 */
export async function runSweep(data: LabeledData, options: SweepOptions): Promise<SweepResult> {
  const protocol = resolveProtocol(options);
  const repeats = options.repeats ?? 20;
  const splits = stratifiedSplits(data.labels, { repeats, seed: protocol.seed });
  if (options.methods.length === 0) throw new SpredInputError('no methods to run');
  const wanted = options.workers ?? (options.workerUrl !== undefined ? availableParallelism() : 0);
  if (wanted > 0 && options.workerUrl === undefined)
    throw new SpredInputError(
      `workers: ${wanted} needs a workerUrl: the app's worker script, which chooses a backend and calls serveSweepJobs`,
    );
  const jobs: SweepJob[] = [];
  for (let repeat = 0; repeat < repeats; repeat++)
    for (const method of options.methods)
      jobs.push({ method, repeat, split: splits[repeat] as Split });
  const runs: MethodRun[] = [];
  const total = jobs.length;
  const report = (run: MethodRun, resumed: boolean) => {
    runs.push(run);
    options.onProgress?.({ done: runs.length, total, run, resumed });
  };
  let pending = jobs;
  const dir = options.resultsDir;
  if (dir !== undefined) {
    pending = [];
    prepareResultsDir(dir, fingerprint(data, protocol, repeats));
    for (const job of jobs) {
      const file = join(dir, runFileName(job));
      if (existsSync(file)) report(JSON.parse(readFileSync(file, 'utf8')) as MethodRun, true);
      else pending.push(job);
    }
  }
  const save = (run: MethodRun) => {
    if (dir !== undefined) {
      writeJsonAtomic(join(dir, runFileName(run)), run);
    }
    report(run, false);
  };
  const workers = Math.min(wanted, pending.length);
  if (workers <= 0) {
    for (const job of pending) {
      if (options.signal?.aborted === true) break;
      save(await runSweepJob({ data, protocol }, job, options.signal));
    }
  } else {
    const url = options.workerUrl as URL | string;
    await runInWorkers(pending, workers, url, { data, protocol, ...options }, save);
  }
  const order = (r: MethodRun) => r.repeat * 100 + options.methods.indexOf(r.method);
  return {
    runs: [...runs].sort((a, b) => order(a) - order(b)),
    splits,
    protocol,
    complete: runs.length === total,
    workers: Math.max(workers, 0),
  };
}

function runInWorkers(
  jobs: readonly SweepJob[],
  count: number,
  url: URL | string,
  context: SweepOptions & { data: LabeledData; protocol: ResolvedProtocol },
  save: (run: MethodRun) => void,
): Promise<void> {
  const queue = [...jobs];
  const workerData = {
    data: shareData(context.data),
    protocol: context.protocol,
    ...(context.backend !== undefined ? { backend: context.backend } : {}),
  };
  return new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    let running = 0;
    let failed = false;
    const finish = (error?: Error) => {
      if (failed) return;
      if (error !== undefined) failed = true;
      for (const w of pool) void w.terminate();
      context.signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve();
    };
    const onAbort = () => finish();
    context.signal?.addEventListener('abort', onAbort, { once: true });
    const dispatch = (worker: Worker) => {
      const job = context.signal?.aborted === true ? undefined : queue.shift();
      if (job === undefined) {
        worker.postMessage(null);
        if (running === 0) finish();
        return;
      }
      running++;
      worker.postMessage(job);
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(url, { workerData });
      pool.push(worker);
      worker.on('message', (message: SweepWorkerMessage) => {
        if (message.kind === 'ready') dispatch(worker);
        else if (message.kind === 'done') {
          running--;
          save(message.run);
          dispatch(worker);
        } else {
          finish(message.input ? new SpredInputError(message.message) : new Error(message.message));
        }
      });
      worker.on('error', (e) => finish(e));
    }
  });
}

/** Copies the expression values into shared memory so every worker reads the same bytes. */
function shareData(data: LabeledData): LabeledData {
  const shared = new Float64Array(new SharedArrayBuffer(data.values.byteLength));
  shared.set(data.values);
  return { ...data, values: shared };
}

function fingerprint(data: LabeledData, protocol: ResolvedProtocol, repeats: number): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ protocol, repeats, classes: data.classes, samples: data.samples }));
  hash.update(JSON.stringify(data.features));
  hash.update(new Uint8Array(data.values.buffer, data.values.byteOffset, data.values.byteLength));
  hash.update(new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength));
  return hash.digest('hex').slice(0, 16);
}

function prepareResultsDir(dir: string, key: string): void {
  if (!openResultsFolder(dir, 'sweep.json', key).matches)
    throw new SpredInputError(
      `${dir} holds results of a different data set or configuration; choose another folder or delete it`,
    );
}
