import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliInputError } from '../io/cli-input-error.js';
import { prepareOutputFolder, writeAtomic } from './output-folder.js';

describe('prepareOutputFolder', () => {
  const root = mkdtempSync(join(tmpdir(), 'spred-out-'));

  it('creates a missing folder level by level and returns its absolute path', () => {
    const out = prepareOutputFolder(join(root, 'a', 'b', 'c'));
    expect(out).toBe(join(root, 'a', 'b', 'c'));
    expect(readdirSync(join(root, 'a', 'b'))).toEqual(['c']);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses a file, a folder under a file and pseudo file systems at once, with exit-2 errors', () => {
    writeFileSync(join(root, 'file'), 'x');
    const cases: [string, RegExp][] = [
      [join(root, 'file'), /--out .*file: it is a file, not a folder$/],
      [join(root, 'file', 'sub'), /--out .*file\/sub: .*file is a file, not a folder$/],
      [
        '/proc/spred-x',
        /--out \/proc\/spred-x: cannot create the folder \/proc\/spred-x \(ENOENT\)$/,
      ],
      [
        '/sys/spred-x',
        /--out \/sys\/spred-x: cannot create the folder \/sys\/spred-x \((EPERM|EACCES|EROFS)\)$/,
      ],
    ];
    for (const [path, message] of cases) {
      let error: unknown;
      try {
        prepareOutputFolder(path);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CliInputError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('writeAtomic', () => {
  it('leaves the final file only, with the content, and replaces an older one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-atomic-'));
    writeAtomic(dir, 'result.json', 'old');
    writeAtomic(dir, 'result.json', '{"new": true}');
    expect(readdirSync(dir)).toEqual(['result.json']);
    expect(readFileSync(join(dir, 'result.json'), 'utf8')).toBe('{"new": true}');
  });
});
