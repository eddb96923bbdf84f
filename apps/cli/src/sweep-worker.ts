// A worker thread of `spred select-genes`: the app, not @spredjs/genomics, chooses the backend (the
// one the main thread pinned, else the same order the main thread tries), then runs the jobs.
import { parentPort, workerData } from 'node:worker_threads';
import { serveSweepJobs, type SweepWorkerData } from '@spredjs/genomics';
import { initBackend } from '@spredjs/runtime';

const port = parentPort;
if (port === null) throw new Error('sweep-worker.js runs as a worker thread only');
const context = workerData as SweepWorkerData;
const choice = await initBackend(context.backend !== undefined ? { backend: context.backend } : {});
serveSweepJobs(port, context, choice.id);
