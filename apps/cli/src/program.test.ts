import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './program.js';
import { captureIO as capture } from './testing/capture-io.js';

describe('spred CLI', () => {
  it('info prints the version and the backend that runs, and why others were skipped', async () => {
    const io = capture();
    expect(await runCli(['info', '--json'], io)).toBe(0);
    const info = JSON.parse(io.stdout.join('\n')) as {
      spred: string;
      backend: string;
      skipped: { id: string; reason: string }[];
    };
    expect(info.spred).toMatch(/^\d+\.\d+\.\d+/);
    expect(['node-gpu', 'node', 'wasm', 'cpu']).toContain(info.backend);
    expect(io.stderr.join('\n')).toMatch(/^backend: /m);
  });

  it('--backend pins a backend and fails with one line when it is unknown', async () => {
    const ok = capture();
    expect(await runCli(['--backend', 'cpu', 'info'], ok)).toBe(0);
    expect(ok.stdout.join('\n')).toMatch(/backend: cpu/);
    const bad = capture();
    expect(await runCli(['--backend', 'metal', 'info'], bad)).toBe(2);
    expect(bad.stderr).toEqual([
      expect.stringMatching(
        /^spred: --backend: unknown backend 'metal': expected one of node-gpu, node, wasm, cpu$/,
      ),
    ]);
  });

  it('rejects unknown commands and bad flag values with exit code 2', async () => {
    const unknown = capture();
    expect(await runCli(['lass'], unknown)).toBe(2);
    expect(unknown.stderr.join('\n')).toMatch(/unknown command 'lass'/);
    const badValue = capture();
    expect(await runCli(['lasso-demo', '--genes', 'many'], badValue)).toBe(2);
    expect(badValue.stderr.join('\n')).toMatch(/expected a positive integer, got 'many'/);
  });

  it('has --help on every command', async () => {
    for (const argv of [['--help'], ['info', '--help'], ['lasso-demo', '--help']]) {
      const io = capture();
      expect(await runCli(argv, io)).toBe(0);
      expect(io.stdout.join('\n')).toMatch(/Usage: spred/);
    }
  });

  it('lasso-demo reproduces the closed-form lasso on the bundled real data and writes result.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spred-demo-'));
    const io = capture();
    expect(
      await runCli(['lasso-demo', '--genes', '20', '--alpha-ratio', '0.4', '--out', out], io),
    ).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/OK: spred matches the closed-form lasso/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      n: number;
      d: number;
      spred: number[];
      exact: number[];
      maxAbsError: number;
      supportMatches: boolean;
    };
    expect(result).toMatchObject({ n: 62, d: 20, supportMatches: true });
    expect(result.maxAbsError).toBeLessThan(1e-4);
    expect(result.exact.some((v) => v !== 0)).toBe(true);
    expect(result.exact.some((v) => v === 0)).toBe(true);
  });
});
