import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdx } from '@spredjs/vision';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIO } from '../testing/capture-io.js';

describe('spred node-sparsity', () => {
  it('writes the table, result.json with the fitted line, and both figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-ns-'));
    const n = 200;
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    // Each class lights a different band of pixels, so the task is learnable.
    const images = new Uint8Array(n * 28 * 28);
    labels.forEach((c, i) => images.fill(255, i * 784 + c * 78, i * 784 + c * 78 + 78));
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdx([n, 28, 28], images));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([n], labels));
    const out = join(dir, 'out');
    const io = captureIO();
    expect(
      await runCli(
        [
          'node-sparsity',
          '--data',
          dir,
          '--hidden',
          '16',
          '--epochs',
          '2',
          '--weight-decays',
          '0,1e-3',
          '--optimizer',
          'sgd',
          '--schedule',
          'cosine',
          '--batch-size',
          '50',
          '--out',
          out,
        ],
        io,
      ),
    ).toBe(0);
    const table = readFileSync(join(out, 'node-sparsity.tsv'), 'utf8').trim().split('\n');
    expect(table[0]).toBe('weightDecay\tnodeSparsity\tweightSparsity\ttrainAccuracy\tseconds');
    expect(table).toHaveLength(3);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      rows: { weightDecay: number; nodeSparsity: number; weightSparsity: number }[];
      weightVsNode: { slope: number; intercept: number; r2: number };
      optimizer: unknown;
    };
    // The settings that trained the rows are recorded with them (sgd's default rate).
    expect(result.optimizer).toEqual({
      kind: 'sgd',
      learningRate: 0.1,
      schedule: 'cosine',
      batchSize: 50,
    });
    expect(result.rows.map((r) => r.weightDecay)).toEqual([0, 1e-3]);
    // The table and result.json hold the same rows.
    result.rows.forEach((r, i) =>
      expect(table[i + 1]?.split('\t').slice(0, 3).map(Number)).toEqual([
        r.weightDecay,
        r.nodeSparsity,
        r.weightSparsity,
      ]),
    );
    // Two points: the least-squares line of weight on node sparsity goes through both (or, when
    // their node sparsities agree, is flat at the mean weight sparsity).
    const [a, b] = result.rows as [(typeof result.rows)[0], (typeof result.rows)[0]];
    const { slope, intercept } = result.weightVsNode;
    expect(Number.isFinite(slope) && Number.isFinite(intercept)).toBe(true);
    if (a.nodeSparsity === b.nodeSparsity) {
      expect(slope).toBe(0);
      expect(intercept).toBeCloseTo((a.weightSparsity + b.weightSparsity) / 2, 12);
    } else
      for (const r of [a, b])
        expect(slope * r.nodeSparsity + intercept).toBeCloseTo(r.weightSparsity, 12);
    for (const f of ['node-sparsity-vs-weight-decay.svg', 'weight-vs-node-sparsity.svg'])
      expect(readFileSync(join(out, f), 'utf8')).toMatch(/^<svg/);
  });

  it('answers a bad optimizer, schedule, rate or batch size in one line, exit 2, before loading data', async () => {
    const dir = join(tmpdir(), 'no-such-folder-spred');
    for (const [flags, message] of [
      [
        ['--optimizer', 'lbfgs'],
        /argument 'lbfgs' is invalid. Allowed choices are sgd, momentum, adam/,
      ],
      [['--schedule', 'step'], /argument 'step' is invalid. Allowed choices are constant, cosine/],
      [['--lr', '0'], /--lr <rate>' argument '0' is invalid. expected a positive number/],
      [['--batch-size', '2.5'], /expected a positive integer, got '2.5'/],
    ] as const) {
      const io = captureIO();
      expect(await runCli(['node-sparsity', '--data', dir, ...flags], io)).toBe(2);
      // The error on one line, then commander's usage hint.
      expect(io.stderr[0]).toMatch(message);
      expect(io.stderr[0]).not.toContain('\n');
    }
  });

  it('says which folder or file is missing', async () => {
    const io = captureIO();
    expect(
      await runCli(['node-sparsity', '--data', join(tmpdir(), 'no-such-folder-spred')], io),
    ).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/no-such-folder-spred: no such folder/);
    const empty = mkdtempSync(join(tmpdir(), 'spred-ns-empty-'));
    const again = captureIO();
    expect(await runCli(['node-sparsity', '--data', empty], again)).toBe(2);
    expect(again.stderr.join('\n')).toMatch(
      /no train-images-idx3-ubyte or .* \(also looked for \.gz\)/,
    );
  });
});
