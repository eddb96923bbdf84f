import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResultsFolder, writeJsonAtomic } from './results-folder.js';

describe('the folder of a resumable job', () => {
  it('creates the manifest once, accepts the same fingerprint and names what changed otherwise', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spred-results-')), 'runs');
    expect(openResultsFolder(dir, 'job.json', 'abc', { epochs: 2, seed: 0 })).toEqual({
      matches: true,
    });
    expect(JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8'))).toEqual({
      fingerprint: 'abc',
      configuration: { epochs: 2, seed: 0 },
    });
    expect(openResultsFolder(dir, 'job.json', 'abc', { epochs: 3, seed: 0 })).toEqual({
      matches: true,
    });
    expect(openResultsFolder(dir, 'job.json', 'def', { epochs: 3, seed: 0 })).toEqual({
      matches: false,
      changed: ['epochs 2 → 3'],
    });
    // Without a saved configuration a mismatch names nothing.
    const bare = join(dir, 'bare');
    openResultsFolder(bare, 'sweep.json', 'k1');
    expect(openResultsFolder(bare, 'sweep.json', 'k2')).toEqual({ matches: false, changed: [] });
  });

  it('writes JSON through a temporary file, leaving no .tmp behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-atomic-'));
    writeJsonAtomic(join(dir, 'a.json'), { x: [1, 2] });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('{"x":[1,2]}\n');
    writeJsonAtomic(join(dir, 'b.json'), { x: 1 }, 2);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('{\n  "x": 1\n}\n');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json']);
    expect(existsSync(join(dir, 'a.json.tmp'))).toBe(false);
  });
});
