import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIO as capture } from '../testing/capture-io.js';
import { writeNpy } from '../testing/write-npy.js';

describe('spred sparse-code', () => {
  it('learns on the bundled photos and writes atoms.png, the dictionary, result.json and the learning curve', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spred-sc-'));
    const io = capture();
    expect(
      await runCli(
        [
          'sparse-code',
          '--patch',
          '6',
          '--patches',
          '600',
          '--atoms',
          '12',
          '--epochs',
          '2',
          '--batch-size',
          '100',
          '--out',
          out,
        ],
        io,
      ),
    ).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, 'dictionary.json'), 'utf8')) as {
      shape: number[];
      dtype: string;
    };
    expect(meta).toMatchObject({ shape: [12, 36], dtype: 'float32' });
    expect(statSync(join(out, 'dictionary.bin')).size).toBe(12 * 36 * 4);
    const atoms = new Float32Array(
      Uint8Array.from(readFileSync(join(out, 'dictionary.bin'))).buffer,
    );
    for (let a = 0; a < 12; a++)
      expect(Math.hypot(...atoms.subarray(a * 36, a * 36 + 36))).toBeCloseTo(1, 4);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      alpha: number;
      kappa: number;
      whiten: string;
      scale: number;
      codeSparsity: number;
      atomUsage: number[];
      atomsPngOrder: number[];
      neverUsedAtoms: number;
      gaborShare: number;
      gaborR2: number[];
      history: {
        epoch: number;
        objective: number;
        reconstructionError: number;
        codeSparsity: number;
        seconds: number;
      }[];
    };
    // Defaults: α = 1 (κ = 0.5), no whitening, and the cut patches scaled to unit mean square.
    expect(result).toMatchObject({ alpha: 1, kappa: 0.5, whiten: 'none' });
    expect(result.scale).toBeGreaterThan(0);
    expect(io.stderr.join('\n')).toMatch(/scaled the patches to unit mean square per pixel/);
    expect(result.history).toHaveLength(2);
    expect(Object.keys(result.history[0]!)).toEqual([
      'epoch',
      'objective',
      'reconstructionError',
      'codeSparsity',
      'seconds',
    ]);
    expect(result.codeSparsity).toBeGreaterThan(0);
    // atoms.png shows the atoms from most to least used; the unused ones are counted.
    expect(result.atomUsage).toHaveLength(12);
    const used = result.atomsPngOrder.map((a) => result.atomUsage[a]!);
    expect(used).toEqual([...used].sort((a, b) => b - a));
    expect([...result.atomsPngOrder].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(result.neverUsedAtoms).toBe(result.atomUsage.filter((u) => u === 0).length);
    expect(result.gaborR2).toHaveLength(12);
    expect(result.gaborShare).toBe(result.gaborR2.filter((r) => r >= 0.5).length / 12);
    expect(io.stdout.at(-1)).toMatch(
      /never used on the training patches: \d+ of 12; Gabor-like .*: \d+\.\d% of the atoms/,
    );
    expect(readFileSync(join(out, 'atoms.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(out, 'learning-curve.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('says so when the folder has no images or an image is broken', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'spred-noimg-'));
    const io = capture();
    expect(await runCli(['sparse-code', '--images', empty, '--patches', '10'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/no \.png or \.jpg images/);
    writeFileSync(join(empty, 'broken.png'), 'not really a png');
    const io2 = capture();
    expect(await runCli(['sparse-code', '--images', empty, '--patches', '10'], io2)).toBe(2);
    expect(io2.stderr.join('\n')).toMatch(/broken\.png: not a PNG or JPEG image/);
    const io3 = capture();
    expect(await runCli(['sparse-code', '--normalize', 'rows'], io3)).toBe(2);
    expect(io3.stderr.join('\n')).toMatch(
      /argument 'rows' is invalid. Allowed choices are dictionary, codes/,
    );
  });

  it('learns from a patch matrix (--patch-matrix, one patch per row) with scikit-learn’s α (--alpha, κ = α/2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-pm-'));
    // 300 patches of 5×5: sparse mixtures of 4 fixed atoms (seeded), float32.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const atoms = Array.from({ length: 4 }, () => Array.from({ length: 25 }, random));
    const values = Array.from({ length: 300 }, (_, i) =>
      atoms[i % 4]!.map((v, j) => 3 * v + 0.5 * (atoms[(i + 1) % 4]![j] as number) * (i % 3)),
    ).flat();
    writeNpy(join(dir, 'P.npy'), values, [300, 25], '<f4', false);
    const out = join(dir, 'out');
    const io = capture();
    const args = ['sparse-code', '--patch-matrix', join(dir, 'P.npy'), '--alpha', '0.5'];
    const fast = ['--atoms', '6', '--epochs', '2', '--batch-size', '100', '--whiten', 'none'];
    expect(await runCli([...args, ...fast, '--out', out], io)).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(result).toMatchObject({
      patch: 5,
      patches: 300,
      kappa: 0.25,
      alpha: 0.5,
      scale: 1,
      patchMatrix: join(dir, 'P.npy'),
    });
    expect(statSync(join(out, 'dictionary.bin')).size).toBe(6 * 25 * 4);
    expect(io.stdout.join('\n')).toMatch(/from 300 patches of .*P\.npy/);
  });

  it('refuses --alpha with --kappa, a non-square patch matrix, a non-finite value and flags that cut patches from images', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-pm-bad-'));
    writeNpy(
      join(dir, 'wide.npy'),
      Array.from({ length: 60 }, (_, i) => i),
      [6, 10],
      '<f8',
      false,
    );
    const nan = Array.from({ length: 32 }, (_, i) => (i === 21 ? Number.NaN : i));
    writeNpy(join(dir, 'nan.npy'), nan, [2, 16], '<f8', false);
    const cases: [string[], RegExp][] = [
      [['--alpha', '0.5', '--kappa', '0.25'], /--alpha and --kappa set the same penalty/],
      [
        ['--patch-matrix', join(dir, 'wide.npy')],
        /6 × 10: a row must be a square patch, and 10 is not a square/,
      ],
      [
        ['--patch-matrix', join(dir, 'nan.npy')],
        /nan\.npy: row 2, column 6: value NaN is not finite/,
      ],
      [
        ['--patch-matrix', join(dir, 'wide.npy'), '--patches', '100'],
        /--patches, which cuts patches from images, does not apply/,
      ],
      [['--alpha', '-1'], /--alpha must be positive and finite, got -1/],
      [['--kappa', '0'], /--kappa must be positive and finite, got 0/],
    ];
    for (const [flags, message] of cases) {
      const io = capture();
      expect(await runCli(['sparse-code', ...flags, '--out', join(dir, 'out')], io)).toBe(2);
      expect(io.stderr.join('\n')).toMatch(message);
    }
  });
});
