import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SpredFileError } from './file-error.js';
import { isGzip } from './gzip.js';
import { readBytes } from './read-bytes.js';
import { readText } from './read-text.js';

describe('readText and readBytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spred-io-'));
  const file = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const text = 'gene\tS1\tS2\nTP53\t1.5\t-2\nBRCA1\tNA\t3e-4\n';

  it('gunzips by the magic bytes 1f 8b, whatever the file is called', () => {
    const packed = gzipSync(text);
    expect(Array.from(packed.subarray(0, 2))).toEqual([0x1f, 0x8b]);
    expect(readText(file('table.tsv.gz', packed))).toBe(text);
    expect(readText(file('gzipped-without-suffix.tsv', packed))).toBe(text);
    expect(readText(file('plain-named.tsv.gz', text))).toBe(text);
    expect(readText(file('plain.tsv', text))).toBe(text);
    expect(Array.from(readBytes(file('bytes.gz', gzipSync(Uint8Array.of(0, 8, 255)))))).toEqual([
      0, 8, 255,
    ]);
  });

  it('reads UTF-8 and keeps an empty file empty', () => {
    expect(readText(file('utf8.txt', 'κ ≥ 0 — ünïcode\n'))).toBe('κ ≥ 0 — ünïcode\n');
    expect(readText(file('empty.tsv', ''))).toBe('');
    expect(readText(file('one-byte.txt', '\x1f'))).toBe('\x1f');
  });

  it('names the file when it is missing, unreadable or broken gzip', () => {
    const missing = join(dir, 'missing.tsv');
    expect(() => readText(missing)).toThrow(new SpredFileError(`${missing}: no such file`));
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect(() => readText(folder)).toThrow(`${folder}: cannot read (EISDIR)`);
    const broken = file('broken.tsv', Buffer.concat([gzipSync(text).subarray(0, 12)]));
    expect(() => readText(broken)).toThrow(`${broken}: broken gzip data`);
    expect(() => readBytes(broken)).toThrow(SpredFileError);
  });
});

describe('isGzip', () => {
  it('is true exactly when the first two bytes are 0x1f 0x8b', () => {
    expect(isGzip(Uint8Array.of(0x1f, 0x8b, 8))).toBe(true);
    expect(isGzip(Uint8Array.of(0x1f, 0x8b))).toBe(true);
    expect(isGzip(Uint8Array.of(0x8b, 0x1f))).toBe(false);
    expect(isGzip(Uint8Array.of(0x1f))).toBe(false);
    expect(isGzip(new Uint8Array(0))).toBe(false);
  });
});
