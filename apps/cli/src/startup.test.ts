import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';
import { captureIO } from './testing/capture-io.js';

// The built CLI runs in a child process (this worker has loaded tfjs already) with a module hook
// that writes down every package it imports; turbo builds the CLI before its tests
// (apps/cli/turbo.json).
const root = fileURLToPath(new URL('..', import.meta.url));
const main = join(root, 'dist', 'main.js');
const recorder = pathToFileURL(join(root, 'dist', 'testing', 'record-imports.js')).href;

/** tfjs, its backends, the charts and the spred packages that pull them in. */
const HEAVY = /^(@tensorflow\/|vega($|-)|@spredjs\/)/;

function runRecorded(args: readonly string[]) {
  const log = join(mkdtempSync(join(tmpdir(), 'spred-imports-')), 'imports.log');
  const run = spawnSync(process.execPath, ['--import', recorder, main, ...args], {
    env: { ...process.env, SPRED_IMPORT_LOG: log },
    encoding: 'utf8',
  });
  const imported = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, imported };
}

describe('spred starts without loading what its work needs', () => {
  it('answers --help, --version, a command’s --help and a bad flag without tfjs, vega or @spredjs/*', () => {
    expect(existsSync(main), 'no dist/main.js: run pnpm build first').toBe(true);
    const commands = createProgram(captureIO()).commands.map((c) => c.name());
    expect(commands).toContain('prune');
    const cases: [args: string[], exitCode: number][] = [
      [['--version'], 0],
      [['--help'], 0],
      ...commands.map((c): [string[], number] => [[c, '--help'], 0]),
      [['lasso', '--no-such-flag'], 2],
      [['prune', '--data', 'x', '--methods', 'spred,obd'], 2],
    ];
    for (const [args, exitCode] of cases) {
      const run = runRecorded(args);
      expect(run.status, `spred ${args.join(' ')}: ${run.stderr}`).toBe(exitCode);
      expect(run.imported, args.join(' ')).toContain('commander');
      expect(
        run.imported.filter((p) => HEAVY.test(p)),
        `spred ${args.join(' ')}`,
      ).toEqual([]);
    }
  });

  it('loads @spredjs/runtime and tfjs once a command needs a backend', () => {
    const run = runRecorded(['--backend', 'metal', 'info']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown backend 'metal'/);
    expect(run.imported).toContain('@spredjs/runtime');
    expect(run.imported.some((p) => p.startsWith('@tensorflow/'))).toBe(true);
  });
});
