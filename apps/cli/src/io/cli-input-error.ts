/**
 * Bad input the user can fix: a missing or malformed file, an unknown column, a bad flag value.
 * The CLI prints its message on one line and exits with code 2.
 */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}

/**
 * The errors that mean "bad input" (exit code 2), by class name: the CLI's own
 * {@link CliInputError}, @spredjs/core's `SpredInputError`, @spredjs/io's `SpredFileError` (a missing,
 * unreadable or broken file) and @spredjs/runtime's `SpredBackendError` (each sets `name`). Matching names rather than `instanceof` keeps the error mapping from loading
 * @spredjs/core and @spredjs/runtime, and with them tfjs, on every start.
 */
const INPUT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'CliInputError',
  'SpredInputError',
  'SpredFileError',
  'SpredBackendError',
]);

/**
 * Whether `e` is bad input the user can fix, so the CLI prints its message and exits with 2.
 *
 * @example
 * ```ts
 * isInputError(new CliInputError('x.tsv: no such file')); // true
 * isInputError(new TypeError('a bug')); // false
 * ```
 */
export function isInputError(e: unknown): e is Error {
  return e instanceof Error && INPUT_ERROR_NAMES.has(e.name);
}
