import type { MethodRun } from '../protocol/run-method.js';
import { runMethod } from '../protocol/run-method.js';
import type { SweepJob, SweepWorkerData } from './sweep-job.js';

/**
 * The job handler of a sweep: one method on one split of the sweep's data, under its protocol.
 * It needs a tfjs backend already chosen (by the app or the worker script that calls it) and
 * chooses none itself; the same job gives the same run in any thread.
 *
 * @example
 * ```ts
 * const run = await runSweepJob({ data, protocol }, { method: 'spred', repeat: 0, split });
 * console.log(run.testAccuracy, run.genes);
 * ```
 */
export function runSweepJob(
  context: Pick<SweepWorkerData, 'data' | 'protocol'>,
  job: SweepJob,
  signal?: AbortSignal,
): Promise<MethodRun> {
  return runMethod(context.data, job.split, job.repeat, job.method, context.protocol, signal);
}
