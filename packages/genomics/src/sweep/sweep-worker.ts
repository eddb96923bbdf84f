import { parentPort, workerData } from 'node:worker_threads';
import { SpredInputError } from '@spred/core';
import { initBackend } from '@spred/runtime';
import { runMethod } from '../protocol/run-method.js';
import type { SweepJob, SweepWorkerData, SweepWorkerMessage } from './sweep-job.js';

// A sweep worker: sets up a tfjs backend, then runs the jobs the main thread sends (null ends it).
const port = parentPort;
if (port === null) throw new Error('sweep-worker.js runs as a worker thread only');
const { data, protocol, backend } = workerData as SweepWorkerData;
const post = (message: SweepWorkerMessage) => port.postMessage(message);
const choice = await initBackend(backend !== undefined ? { backend } : {});
post({ kind: 'ready', backend: choice.id });
port.on('message', (job: SweepJob | null) => {
  if (job === null) {
    port.close();
    return;
  }
  runMethod(data, job.split, job.repeat, job.method, protocol).then(
    (run) => post({ kind: 'done', run }),
    (e: unknown) =>
      post({
        kind: 'failed',
        message: e instanceof Error ? e.message : String(e),
        input: e instanceof SpredInputError,
      }),
  );
});
