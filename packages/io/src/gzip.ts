/**
 * Whether bytes are gzip data: they start with the gzip magic bytes 0x1f 0x8b (RFC 1952). spred
 * decides by content, never by the file name, so a gzipped file without `.gz` and a plain file
 * named `.gz` are both read right.
 *
 * @example
 * ```ts
 * isGzip(gzipSync('a\tb\n')); // true
 * isGzip(Buffer.from('a\tb\n')); // false
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
