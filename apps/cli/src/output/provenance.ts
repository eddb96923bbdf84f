import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cliVersion } from '../version.js';
import { commandLine } from './command-line.js';

/** One input file as `result.json` records it. */
export interface InputRecord {
  readonly role: string;
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** What every `result.json` says about how it was made. */
export interface Provenance {
  readonly spred: { readonly version: string; readonly command: readonly string[] };
  readonly inputs: readonly InputRecord[];
}

/** Streams each file through SHA-256 and posts the hex digests, in order. */
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const digest = (path) => new Promise((done, fail) => {
  const hash = createHash('sha256');
  createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', fail)
    .on('end', () => done(hash.digest('hex')));
});
Promise.all(workerData.map(digest)).then((d) => parentPort.postMessage(d), (e) => parentPort.postMessage({ error: String(e) }));
`;

/**
 * Starts hashing a command's input files (SHA-256; a folder: each file in it) on a worker thread, beside the command's own
 * work: on two or more cores the digests cost no wall time. `read()` waits for them and returns
 * the provenance for `result.json`: spred's version, the command line, and each file's size and
 * digest, so that a result can be traced to its data.
 *
 * @example
 * ```ts
 * const provenance = startProvenance({ x: flags.x, y: flags.y });
 * // … load and fit …
 * const result = { ...fields, ...(await provenance.read()) };
 * ```
 */
export function startProvenance(files: Readonly<Record<string, string | undefined>>): {
  read(): Promise<Provenance>;
} {
  // A folder stands for the files in it (not recursively), each with its own record.
  const entries = Object.entries(files)
    // (A missing path is left to the command's reader, which names it in its error.)
    .filter((e): e is [string, string] => e[1] !== undefined && existsSync(e[1]))
    .flatMap(([role, path]): [string, string][] =>
      statSync(path).isDirectory()
        ? readdirSync(path)
            .sort()
            .filter((name) => statSync(join(path, name)).isFile())
            .map((name) => [`${role}/${name}`, join(path, name)])
        : [[role, path]],
    );
  const paths = entries.map(([, path]) => resolve(path));
  const digests = new Promise<string[]>((done, fail) => {
    const worker = new Worker(HASH_WORKER, { eval: true, workerData: paths });
    worker.once('message', (message: string[] | { error: string }) => {
      void worker.terminate();
      if (Array.isArray(message)) done(message);
      else fail(new Error(`hashing the inputs failed: ${message.error}`));
    });
    worker.once('error', fail);
  });
  // A failure is reported when read() is called, never as an unhandled rejection.
  digests.catch(() => undefined);
  return {
    async read() {
      const sha = await digests;
      return {
        spred: { version: cliVersion(), command: ['spred', ...commandLine()] },
        inputs: entries.map(([role], q) => ({
          role,
          path: paths[q] as string,
          bytes: statSync(paths[q] as string).size,
          sha256: sha[q] as string,
        })),
      };
    },
  };
}
