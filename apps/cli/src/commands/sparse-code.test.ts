import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIO as capture } from '../testing/capture-io.js';

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
      codeSparsity: number;
      history: {
        epoch: number;
        objective: number;
        reconstructionError: number;
        codeSparsity: number;
        seconds: number;
      }[];
    };
    expect(result.history).toHaveLength(2);
    expect(Object.keys(result.history[0]!)).toEqual([
      'epoch',
      'objective',
      'reconstructionError',
      'codeSparsity',
      'seconds',
    ]);
    expect(result.codeSparsity).toBeGreaterThan(0);
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
});
