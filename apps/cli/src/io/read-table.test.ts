import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCell, readTable } from './read-table.js';

const dir = mkdtempSync(join(tmpdir(), 'spred-table-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readTable', () => {
  it('reads TSV, CSV and gzipped files with a header', () => {
    const tsv = readTable(file('a.tsv', 'gene\ts1\ts2\nA\t1\t2\nB\t3\t4\n'));
    expect(tsv.header).toEqual(['gene', 's1', 's2']);
    expect(tsv.rows).toEqual([
      ['A', '1', '2'],
      ['B', '3', '4'],
    ]);
    const csv = readTable(file('a.csv', 'x,y\n1.5,2\n'));
    expect(parseCell(csv, 0, 0)).toBe(1.5);
    const gz = readTable(file('a.tsv.gz', gzipSync('g\tv\nA\t7\n')));
    expect(gz.rows).toEqual([['A', '7']]);
  });

  it('names the file and line of ragged rows, and rejects empty files', () => {
    expect(() => readTable(file('ragged.tsv', 'a\tb\n1\t2\n3\n'))).toThrow(
      /ragged\.tsv, line 3: .*record length/i,
    );
    expect(() => readTable(file('empty.tsv', ''))).toThrow(/empty\.tsv: the file is empty/);
    expect(() => readTable(file('header.tsv', 'a\tb\n'))).toThrow(/header but no data rows/);
    expect(() => readTable(join(dir, 'missing.tsv'))).toThrow(/missing\.tsv: no such file/);
    // gzip is told by the magic bytes 1f 8b, not by the name (it used to be the `.gz` suffix).
    const broken = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not gzip')]);
    expect(() => readTable(file('bad.tsv.gz', broken))).toThrow(/bad\.tsv\.gz: broken gzip data/);
    expect(readTable(file('plain.tsv.gz', 'g\tv\nA\t7\n')).rows).toEqual([['A', '7']]);
    expect(readTable(file('gzipped.tsv', gzipSync('g\tv\nB\t8\n'))).rows).toEqual([['B', '8']]);
  });

  it('names file, line and column of a non-numeric cell', () => {
    const t = readTable(file('nan.tsv', 'gene\ts1\nA\t1\nB\tNA\n'));
    expect(() => parseCell(t, 1, 1)).toThrow(
      /nan\.tsv, line 3, column 's1': expected a finite number, got 'NA'/,
    );
  });
});
