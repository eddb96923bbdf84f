import { appendFileSync } from 'node:fs';
import type { InitializeHook, ResolveHook } from 'node:module';

/** What record-imports.ts hands the hooks: the file the imported packages are appended to. */
export interface RecordImportsData {
  readonly file: string;
}

let log: string | undefined;

/**
 * Module hook: receives the log file (node runs hooks in a thread of their own, so it comes as
 * registration data, not through a variable).
 *
 * @example
 * ```ts
 * register('./record-imports-hooks.js', import.meta.url, { data: { file: '/tmp/imports.log' } });
 * ```
 */
export const initialize: InitializeHook<RecordImportsData> = (data) => {
  log = data.file;
};

/**
 * Module hook: appends every package specifier (not a relative path, an absolute one or a URL such
 * as `node:fs`) to the log, one per line, then resolves it as node would.
 *
 * @example
 * ```ts
 * // after `import('@tensorflow/tfjs-core')` the log holds the line '@tensorflow/tfjs-core'
 * ```
 */
export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  if (log !== undefined && !/^(\.|\/|[a-z][a-z0-9+.-]*:)/i.test(specifier))
    appendFileSync(log, `${specifier}\n`);
  return nextResolve(specifier, context);
};
