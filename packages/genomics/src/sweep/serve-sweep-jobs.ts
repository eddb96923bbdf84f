import type { MessagePort } from 'node:worker_threads';
import { SpredInputError } from '@spredjs/core';
import { runSweepJob } from './run-sweep-job.js';
import type { SweepJob, SweepWorkerData, SweepWorkerMessage } from './sweep-job.js';

/**
 * The worker side of {@link runSweep}'s thread pool: says it is ready, then runs every job the
 * main thread posts with {@link runSweepJob} and posts the run back (a `null` job closes the
 * port). A worker script calls it once its backend is chosen: libraries choose none, so the
 * script lives in the app.
 *
 * @example
 * ```ts
 * // the app's sweep-worker.ts
 * const context = workerData as SweepWorkerData;
 * const choice = await initBackend(context.backend !== undefined ? { backend: context.backend } : {});
 * serveSweepJobs(parentPort, context, choice.id);
 * ```
 */
export function serveSweepJobs(port: MessagePort, context: SweepWorkerData, backend: string): void {
  const post = (message: SweepWorkerMessage) => port.postMessage(message);
  port.on('message', (job: SweepJob | null) => {
    if (job === null) {
      port.close();
      return;
    }
    runSweepJob(context, job).then(
      (run) => post({ kind: 'done', run }),
      (e: unknown) =>
        post({
          kind: 'failed',
          message: e instanceof Error ? e.message : String(e),
          input: e instanceof SpredInputError,
        }),
    );
  });
  post({ kind: 'ready', backend });
}
