/**
 * Bad input the user can fix: a missing or malformed file, an unknown column, a bad flag value.
 * The CLI prints its message on one line and exits with code 2.
 */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}
