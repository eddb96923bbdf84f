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
        /^spred: --backend: unknown backend 'metal': expected one of node-gpu, webgpu, node, wasm, cpu$/,
      ),
    ]);
  });

  it('rejects unknown commands and bad flag values with exit code 2', async () => {
    const unknown = capture();
    expect(await runCli(['lass'], unknown)).toBe(2);
    expect(unknown.stderr.join('\n')).toMatch(/unknown command 'lass'/);
    const badValue = capture();
    expect(await runCli(['lasso-demo', '--n-alphas', 'many'], badValue)).toBe(2);
    expect(badValue.stderr.join('\n')).toMatch(/expected a positive integer, got 'many'/);
  });

  it('has --help on every command', async () => {
    for (const argv of [['--help'], ['info', '--help'], ['lasso-demo', '--help']]) {
      const io = capture();
      expect(await runCli(argv, io)).toBe(0);
      expect(io.stdout.join('\n')).toMatch(/Usage: spred/);
    }
  });

  it('lasso-demo solves a certified path on the whole bundled Alon set that agrees with exact CD', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spred-demo-'));
    const io = capture();
    expect(await runCli(['lasso-demo', '--n-alphas', '20', '--out', out], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/spred agrees with the exact reference at every α/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      n: number;
      d: number;
      tol: number;
      certified: boolean;
      agrees: boolean;
      points: {
        nnz: number;
        gapOverP0: number;
        relativeDifference: number;
        sameSupport: boolean;
      }[];
    };
    expect(result).toMatchObject({ n: 62, d: 2000, certified: true, agrees: true });
    expect(result.points).toHaveLength(20);
    for (const p of result.points) {
      expect(p.gapOverP0).toBeLessThanOrEqual(result.tol);
      expect(Math.abs(p.relativeDifference)).toBeLessThanOrEqual(1e-8);
      expect(p.sameSupport).toBe(true);
    }
    expect(result.points[0]?.nnz).toBe(0);
    expect(Math.max(...result.points.map((p) => p.nnz))).toBeGreaterThan(5);
  });
});
