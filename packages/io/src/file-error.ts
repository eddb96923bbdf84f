/**
 * Raised for a file spred cannot read: missing, unreadable, or starting with the gzip magic bytes
 * but not decompressing. The message starts with the path, e.g. `expression.tsv.gz: no such file`.
 * Like `@spredjs/core`'s `SpredInputError` it means bad input the user can fix (the CLI exits with 2).
 *
 * @example
 * ```ts
 * try { readText('missing.tsv'); }
 * catch (e) { if (e instanceof SpredFileError) console.error(e.message); } // "missing.tsv: no such file"
 * ```
 */
export class SpredFileError extends Error {
  override readonly name = 'SpredFileError';
}
