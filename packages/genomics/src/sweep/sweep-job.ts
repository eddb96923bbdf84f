import type { LabeledData } from '../data/labeled-data.js';
import type { MethodName, ResolvedProtocol } from '../protocol/method-options.js';
import type { MethodRun } from '../protocol/run-method.js';
import type { Split } from '../protocol/stratified-splits.js';

/** One unit of a sweep: one method on one split. */
export interface SweepJob {
  readonly method: MethodName;
  readonly repeat: number;
  readonly split: Split;
}

/** What every worker of a sweep receives once. */
export interface SweepWorkerData {
  readonly data: LabeledData;
  readonly protocol: ResolvedProtocol;
  /** Backend to pin in the worker (e.g. the one the main thread chose). */
  readonly backend?: string;
}

/** Messages a worker posts back. */
export type SweepWorkerMessage =
  | { readonly kind: 'ready'; readonly backend: string }
  | { readonly kind: 'done'; readonly run: MethodRun }
  | { readonly kind: 'failed'; readonly message: string; readonly input: boolean };

/** The file name of a finished job's result inside a sweep's folder. */
export function runFileName(job: Pick<SweepJob, 'method' | 'repeat'>): string {
  return `${job.method}-repeat-${String(job.repeat + 1).padStart(2, '0')}.json`;
}
