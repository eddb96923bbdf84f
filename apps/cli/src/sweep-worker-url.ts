/**
 * The compiled worker script of `spred select-genes` (dist/sweep-worker.js). The path is written
 * from the package root so that it names the same file from dist/ and from src/ (under vitest):
 * Node runs compiled JavaScript in worker threads.
 *
 * @example
 * ```ts
 * await runSweep(data, { methods, workers: 4, workerUrl: SWEEP_WORKER_URL });
 * ```
 */
export const SWEEP_WORKER_URL = new URL('../dist/sweep-worker.js', import.meta.url);
