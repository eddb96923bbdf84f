import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SpredFileError } from './file-error.js';
import { readDelimited } from './read-delimited.js';

describe('readDelimited', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spred-delimited-'));
  const file = (name: string, content: string | Buffer) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  it('reads tabs or commas (gzipped or not), trimmed, with each record’s file line', () => {
    const tsv = readDelimited(file('a.tsv', '\ufeffa\tb\n\n 1 \t2\n3\t4\n'));
    expect(tsv.records).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(tsv.lines).toEqual([1, 3, 4]);
    const csv = readDelimited(file('a.data', gzipSync('a,b\n1,2\n')));
    expect(csv.records).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('refuses a ragged row naming the line, unless asked to accept it', () => {
    const ragged = file('ragged.csv', 'a,b\n1,2\n3\n');
    expect(() => readDelimited(ragged)).toThrow(SpredFileError);
    expect(() => readDelimited(ragged)).toThrow(/ragged\.csv, line 3: /);
    expect(readDelimited(ragged, { relaxColumnCount: true }).records).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3'],
    ]);
  });
});
