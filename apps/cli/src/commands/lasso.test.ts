import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIO as capture } from '../testing/capture-io.js';
import { writeNpy } from '../testing/write-npy.js';

describe('spred lasso and spred path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spred-cli-'));
  const n = 40;
  const d = 6;
  // Deterministic design with 2 active features.
  const x = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, j) => Math.sin(1.3 * i * (j + 1) + j)),
  );
  const y = x.map((r, i) => 2 * (r[0] as number) - (r[2] as number) + 0.05 * Math.cos(i));
  writeFileSync(
    join(dir, 'X.tsv'),
    [
      'id\t' + Array.from({ length: d }, (_, j) => `gene${j}`).join('\t'),
      ...x.map((r, i) => `s${i}\t${r.join('\t')}`),
    ].join('\n'),
  );
  writeFileSync(join(dir, 'y.tsv'), ['y', ...y.map(String)].join('\n'));
  writeNpy(join(dir, 'X.npy'), x.flat(), [n, d], '<f8', true);
  writeNpy(join(dir, 'X32.npy'), x.flat(), [n, d], '<f4', false);
  // What numpy.save writes: C order, float64 (read as a view of the file's bytes).
  writeNpy(join(dir, 'X64c.npy'), x.flat(), [n, d], '<f8', false);

  it('writes coef.tsv with feature names (zeros included) and result.json; spred agrees with cd', async () => {
    const results = [];
    for (const [solver, file] of [
      ['cd', 'X.tsv'],
      ['spred', 'X.npy'],
      ['spred', 'X32.npy'],
      ['spred', 'X64c.npy'],
    ] as const) {
      const out = join(dir, `out-${solver}-${file}`);
      const io = capture();
      expect(
        await runCli(
          [
            'lasso',
            '--x',
            join(dir, file),
            '--y',
            join(dir, 'y.tsv'),
            '--alpha',
            '0.05',
            '--solver',
            solver,
            '--out',
            out,
          ],
          io,
        ),
      ).toBe(0);
      const coef = readFileSync(join(out, 'coef.tsv'), 'utf8').trim().split('\n');
      expect(coef).toHaveLength(d + 1);
      expect(coef[0]).toBe('feature\tcoef');
      if (file === 'X.tsv') expect(coef[1]).toMatch(/^gene0\t/);
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
        objective: number;
        gap: number;
        nnz: number;
        converged: boolean;
        iterations: number;
        seconds: number;
      };
      expect(result.converged).toBe(true);
      results.push(result);
    }
    const [cd, ...spred] = results;
    for (const r of spred) {
      expect(Math.abs(r.objective - cd!.objective) / cd!.objective).toBeLessThan(1e-5);
      expect(r.nnz).toBe(cd!.nnz);
    }
  });

  it('path writes path.tsv and coefs.tsv with growing support', async () => {
    const out = join(dir, 'path');
    expect(
      await runCli(
        [
          'path',
          '--x',
          join(dir, 'X.tsv'),
          '--y',
          join(dir, 'y.tsv'),
          '--n-alphas',
          '8',
          '--eps',
          '0.01',
          '--solver',
          'cd',
          '--out',
          out,
        ],
        capture(),
      ),
    ).toBe(0);
    const rows = readFileSync(join(out, 'path.tsv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('alpha\tnnz\tobjective\tgap\tconverged\titerations\tseconds');
    expect(rows).toHaveLength(9);
    const alphas = rows.slice(1).map((r) => Number(r.split('\t')[0]));
    const nnz = rows.slice(1).map((r) => Number(r.split('\t')[1]));
    expect(nnz[0]).toBe(0);
    expect(nnz.at(-1)).toBeGreaterThanOrEqual(2);
    const coefs = readFileSync(join(out, 'coefs.tsv'), 'utf8').trim().split('\n');
    expect(coefs[0]).toBe(['alpha', ...Array.from({ length: d }, (_, j) => `gene${j}`)].join('\t'));
    // Growing support: α falls along the path and each support holds the one before it, starting
    // empty at α_max; the first features in are the two that carry y (2·gene0 − gene2).
    const supports = coefs.slice(1).map((line) => {
      const [alpha, ...values] = line.split('\t').map(Number);
      return { alpha, support: values.flatMap((v, j) => (v !== 0 ? [j] : [])) };
    });
    expect(supports.map((s) => s.alpha)).toEqual(alphas);
    expect(supports.map((s) => s.support.length)).toEqual(nnz);
    for (let t = 1; t < supports.length; t++) {
      expect(alphas[t] as number).toBeLessThan(alphas[t - 1] as number);
      const before = supports[t - 1]?.support ?? [];
      expect(supports[t]?.support).toEqual(expect.arrayContaining(before));
    }
    const firstTwo = supports.find((s) => s.support.length >= 2)?.support;
    expect(firstTwo?.slice(0, 2)).toEqual([0, 2]);
  });

  it('says what is wrong with bad files and flags, with exit code 2', async () => {
    writeFileSync(join(dir, 'ragged.tsv'), 'a\tb\n1\t2\n3\n');
    writeFileSync(join(dir, 'text.tsv'), 'a\tb\n1\t2\n3\tx\n');
    writeFileSync(join(dir, 'short.tsv'), 'y\n1\n2\n');
    writeFileSync(join(dir, 'bad.npy'), 'not numpy');
    // A NaN in a C-order float64 X (read as a view) and an ∞ in a Fortran-order one.
    const withNaN = x.flat();
    withNaN[2 * d + 1] = NaN;
    writeNpy(join(dir, 'nan.npy'), withNaN, [n, d], '<f8', false);
    const withInf = x.flat();
    withInf[5 * d + 3] = Infinity;
    writeNpy(join(dir, 'inf.npy'), withInf, [n, d], '<f8', true);
    const cases: [string[], RegExp][] = [
      [
        ['lasso', '--x', join(dir, 'nan.npy'), '--y', join(dir, 'y.tsv'), '--alpha', '1'],
        /nan\.npy has a non-finite value \(NaN\) at row 2, column 1$/m,
      ],
      [
        ['lasso', '--x', join(dir, 'inf.npy'), '--y', join(dir, 'y.tsv'), '--alpha', '1'],
        /inf\.npy has a non-finite value \(Infinity\) at row 5, column 3$/m,
      ],
      [
        ['lasso', '--x', join(dir, 'ragged.tsv'), '--y', join(dir, 'y.tsv'), '--alpha', '1'],
        /ragged\.tsv, line 3: 1 cells but the first data row has 2/,
      ],
      [
        ['lasso', '--x', join(dir, 'text.tsv'), '--y', join(dir, 'y.tsv'), '--alpha', '1'],
        /text\.tsv, line 3, column 'b': expected a finite number, got 'x'/,
      ],
      [
        ['lasso', '--x', join(dir, 'X.tsv'), '--y', join(dir, 'short.tsv'), '--alpha', '1'],
        /has 40 rows but .*short\.tsv has 2/,
      ],
      [
        ['lasso', '--x', join(dir, 'bad.npy'), '--y', join(dir, 'y.tsv'), '--alpha', '1'],
        /bad\.npy: not a \.npy file/,
      ],
      [
        ['lasso', '--x', join(dir, 'X.tsv'), '--y', join(dir, 'y.tsv'), '--alpha', '-1'],
        /--alpha must be positive and finite, got -1/,
      ],
      [
        [
          'lasso',
          '--x',
          join(dir, 'X.tsv'),
          '--y',
          join(dir, 'y.tsv'),
          '--alpha',
          '1',
          '--solver',
          'lars',
        ],
        /argument 'lars' is invalid/,
      ],
      [
        [
          'lasso',
          '--x',
          join(dir, 'X.tsv'),
          '--y',
          join(dir, 'y.tsv'),
          '--alpha',
          '1',
          '--penalty',
          'group',
        ],
        /--penalty group needs --groups FILE/,
      ],
    ];
    for (const [argv, message] of cases) {
      const io = capture();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.stderr.join('\n')).toMatch(message);
    }
  });
});
