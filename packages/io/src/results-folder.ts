import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `value` as JSON (`indent` spaces, default none; a final newline) to `path` through
 * `path.tmp` and a rename, so that an interrupted write never leaves a partial file behind.
 *
 * @example
 * ```ts
 * writeJsonAtomic(join(dir, 'run-3.json'), run);
 * ```
 */
export function writeJsonAtomic(path: string, value: unknown, indent?: number): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, indent)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** What {@link openResultsFolder} found. */
export type ResultsFolderCheck =
  | { readonly matches: true }
  /** The folder holds results of another configuration; `changed` names each differing key. */
  | { readonly matches: false; readonly changed: readonly string[] };

/**
 * The folder of a resumable job (a sweep, a front): creates `dir` and its manifest `manifest`
 * (`{ fingerprint, configuration? }`, written atomically) when new; otherwise compares the saved
 * fingerprint with `fingerprint`. On a mismatch it names every key of `configuration` whose value
 * changed (`epochs 2 → 3`), when a configuration was saved, and the caller says so in its own
 * error. Finished pieces of the job go beside the manifest (see {@link writeJsonAtomic}).
 *
 * @example
 * ```ts
 * const check = openResultsFolder(dir, 'sweep.json', key);
 * if (!check.matches) throw new Error(`${dir} holds results of another configuration`);
 * ```
 */
export function openResultsFolder(
  dir: string,
  manifest: string,
  fingerprint: string,
  configuration?: Readonly<Record<string, unknown>>,
): ResultsFolderCheck {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, manifest);
  if (!existsSync(file)) {
    writeJsonAtomic(
      file,
      configuration === undefined ? { fingerprint } : { fingerprint, configuration },
      2,
    );
    return { matches: true };
  }
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    fingerprint?: string;
    configuration?: Record<string, unknown>;
  };
  if (saved.fingerprint === fingerprint) return { matches: true };
  const before = saved.configuration ?? {};
  const changed = Object.keys(configuration ?? {})
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(configuration?.[k]))
    .map((k) => `${k} ${JSON.stringify(before[k])} → ${JSON.stringify(configuration?.[k])}`);
  return { matches: false, changed };
}
