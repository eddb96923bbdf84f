import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProvenance } from './provenance.js';

describe('startProvenance', () => {
  it('records each file (and each file of a folder) by size and SHA-256; a missing path is left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-provenance-'));
    mkdirSync(join(dir, 'images'));
    mkdirSync(join(dir, 'images', 'nested'));
    writeFileSync(join(dir, 'images', 'b.png'), 'bbbb');
    writeFileSync(join(dir, 'images', 'a.png'), 'aa');
    writeFileSync(join(dir, 'X.tsv'), '1\t2\n');
    const record = await startProvenance({
      x: join(dir, 'X.tsv'),
      images: join(dir, 'images'),
      y: join(dir, 'missing.tsv'),
      groups: undefined,
    }).read();
    expect(record.inputs.map((i) => [i.role, i.bytes])).toEqual([
      ['x', 4],
      ['images/a.png', 2],
      ['images/b.png', 4],
    ]);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(record.inputs.map((i) => i.sha256)).toEqual([sha('1\t2\n'), sha('aa'), sha('bbbb')]);
    expect(record.spred.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
