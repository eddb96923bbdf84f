import { existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliInputError } from '../io/cli-input-error.js';

const reason = (e: unknown) =>
  e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : String(e);

/**
 * Checks an output folder before any work starts, so that a long fit never ends in an error
 * about where to write: an existing folder must be a folder we can write in; a missing one is
 * created level by level (a recursive `mkdir` never returns on some pseudo file systems, such as
 * /proc under Node 20). Bad paths get a one-line {@link CliInputError} (exit 2). Returns the
 * absolute path.
 *
 * @example
 * ```ts
 * const out = prepareOutputFolder(flags.out);
 * writeAtomic(out, 'result.json', JSON.stringify(result));
 * ```
 */
export function prepareOutputFolder(path: string, flag = '--out'): string {
  const target = resolve(path);
  const missing: string[] = [];
  let existing = target;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const up = dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  if (!statSync(existing).isDirectory())
    throw new CliInputError(
      `${flag} ${path}: ${existing === target ? 'it' : existing} is a file, not a folder`,
    );
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (e) {
      throw new CliInputError(`${flag} ${path}: cannot create the folder ${level} (${reason(e)})`);
    }
  }
  const probe = join(target, `.spred-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new CliInputError(`${flag} ${path}: cannot write in this folder (${reason(e)})`);
  }
  return target;
}

/**
 * Writes `name` in `folder` atomically: to a temporary name in the same folder, then renamed, so
 * that an interrupted or failed run never leaves a half-written file that looks like a result.
 * Returns the file's path.
 */
export function writeAtomic(folder: string, name: string, content: string | Uint8Array): string {
  const final = join(folder, name);
  const temporary = join(folder, `.${name}.${process.pid}.partial`);
  writeFileSync(temporary, content);
  renameSync(temporary, final);
  return final;
}
