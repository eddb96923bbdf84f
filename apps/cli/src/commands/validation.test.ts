import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIO as capture } from '../testing/capture-io.js';

/** Options are checked and the output folder prepared before any work; results are traceable. */
describe('spred lasso / path: bad options and outputs are refused before any work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spred-validate-'));
  const n = 30;
  const d = 5;
  const x = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, j) => Math.sin(0.7 * i * (j + 1) + j)),
  );
  const y = x.map((r, i) => (r[0] as number) - 2 * (r[3] as number) + 0.1 * Math.cos(i));
  const table = (rows: number[][]) =>
    [
      Array.from({ length: d }, (_, j) => `g${j}`).join('\t'),
      ...rows.map((r) => r.join('\t')),
    ].join('\n');
  writeFileSync(join(dir, 'X.tsv'), table(x));
  writeFileSync(join(dir, 'y.tsv'), ['y', ...y.map(String)].join('\n'));
  writeFileSync(join(dir, 'file'), 'not a folder');
  // Constant features 1 and 4.
  writeFileSync(
    join(dir, 'Xc.tsv'),
    table(x.map((r) => r.map((v, j) => (j === 1 || j === 4 ? 3 : v)))),
  );
  writeFileSync(join(dir, 'X1.tsv'), table(x.slice(0, 1)));
  writeFileSync(join(dir, 'y1.tsv'), 'y\n1');
  const X = join(dir, 'X.tsv');
  const Y = join(dir, 'y.tsv');
  const run = async (argv: string[]) => {
    const io = capture();
    const code = await runCli(argv, io);
    return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
  };

  it.each([
    [
      ['lasso', '--x', X, '--y', Y, '--alpha', '1', '--out', '/proc/spred-x'],
      /--out \/proc\/spred-x: cannot create the folder \/proc\/spred-x \(ENOENT\)/,
    ],
    [
      ['path', '--x', X, '--y', Y, '--out', '/proc/spred-x'],
      /--out \/proc\/spred-x: cannot create the folder/,
    ],
    [
      ['lasso', '--x', X, '--y', Y, '--alpha', '1', '--out', join(dir, 'file')],
      /file: it is a file, not a folder/,
    ],
    [
      ['lasso', '--x', X, '--y', Y, '--alpha', '1', '--out', join(dir, 'file', 'sub')],
      /file is a file, not a folder/,
    ],
    [
      ['path', '--x', X, '--y', Y, '--out', '/sys/spred-x'],
      /--out \/sys\/spred-x: cannot create the folder/,
    ],
    [
      ['lasso', '--x', X, '--y', Y, '--alpha', '1', '--tol', '-1'],
      /--tol.*expected a positive number, got '-1'/,
    ],
    [['lasso', '--x', X, '--y', Y, '--alpha', '0'], /--alpha must be positive and finite, got 0$/m],
    [
      ['lasso', '--x', X, '--y', Y, '--alpha', '-1'],
      /--alpha must be positive and finite, got -1$/m,
    ],
    [
      ['lasso', '--x', X, '--y', Y, '--alpha-ratio', '-0.5'],
      /--alpha-ratio must be positive and finite, got -0\.5$/m,
    ],
    [
      ['lasso', '--x', X, '--y', Y, '--alpha', '0.1', '--task', 'logistic'],
      /y\.tsv: the labels look continuous \(30 distinct values among 30, e\.g\. .*\): --task logistic needs class labels/,
    ],
    [
      ['lasso', '--x', join(dir, 'X1.tsv'), '--y', join(dir, 'y1.tsv'), '--alpha', '0.1'],
      /X1\.tsv has 1 sample: a fit needs at least two/,
    ],
  ])('%j: exit 2, one line, no stack trace', async (argv, message) => {
    const started = performance.now();
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    // One line (commander's flag errors add only its usual pointer to --help).
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => l !== '(run with --help for usage)')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Answered at once, not after a fit (or a hang on /proc).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('node-sparsity --threshold -1 is refused before any work (exit 2)', async () => {
    const r = await run(['node-sparsity', '--threshold', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threshold.*expected a number ≥ 0, got '-1'/);
  });

  it.each([
    [['node-sparsity', '--samples', '1']],
    [['prune', '--train-samples', '1']],
    [['sparse-code', '--patches', '1']],
  ])('%j: fewer than two samples is refused before any work (exit 2)', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /expected a whole number ≥ 2 \(a fit needs at least two samples\), got '1'/,
    );
  });

  it('a failed run leaves an earlier good result in the same folder untouched, and no partial files', async () => {
    const out = join(dir, 'kept');
    expect((await run(['lasso', '--x', X, '--y', Y, '--alpha', '0.05', '--out', out])).code).toBe(
      0,
    );
    const before = readFileSync(join(out, 'coef.tsv'), 'utf8');
    const failed = await run([
      'lasso',
      '--x',
      X,
      '--y',
      Y,
      '--alpha',
      '0.05',
      '--task',
      'logistic',
      '--out',
      out,
    ]);
    expect(failed.code).toBe(2);
    expect(readFileSync(join(out, 'coef.tsv'), 'utf8')).toBe(before);
    expect(readdirSync(out).sort()).toEqual(['coef.tsv', 'result.json']);
  });

  it('warns about constant features and an all-zero answer (naming α_max), and still writes the result', async () => {
    const out = join(dir, 'warned');
    const r = await run([
      'lasso',
      '--x',
      join(dir, 'Xc.tsv'),
      '--y',
      Y,
      '--alpha-ratio',
      '1.5',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: .*Xc\.tsv has 2 constant features \(g1, g4\): beside the intercept they cannot enter the model/,
    );
    expect(r.stderr).toMatch(
      /warning: every coefficient is zero at α = \S+ \(α_max = \S+\): pick a smaller α/,
    );
    expect(existsSync(join(out, 'coef.tsv'))).toBe(true);
  });

  it('result.json records the version, the command line and each input file by size and SHA-256', async () => {
    const out = join(dir, 'traced');
    const argv = ['lasso', '--x', X, '--y', Y, '--alpha', '0.05', '--out', out];
    expect((await run(argv)).code).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      spred: { version: string; command: string[] };
      inputs: { role: string; path: string; bytes: number; sha256: string }[];
    };
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(result.spred.version).toBe(pkg.version);
    expect(result.spred.command).toEqual(['spred', ...argv]);
    expect(result.inputs.map((i) => i.role)).toEqual(['x', 'y']);
    for (const input of result.inputs) {
      const bytes = readFileSync(input.path);
      expect(input.bytes).toBe(bytes.length);
      expect(input.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  describe('text tables: nothing is guessed from one cell', () => {
    const withCell = (i: number, j: number, cell: string) =>
      table(x)
        .split('\n')
        .map((line, l) =>
          l === i + 1
            ? line
                .split('\t')
                .map((c, q) => (q === j ? cell : c))
                .join('\t')
            : line,
        )
        .join('\n');
    writeFileSync(join(dir, 'nan-first-col.tsv'), withCell(3, 0, 'NaN'));
    writeFileSync(join(dir, 'abc-first-col.tsv'), withCell(3, 0, 'abc'));
    writeFileSync(
      join(dir, 'nan-first-row.tsv'),
      table(x)
        .split('\n')
        .slice(1)
        .map((l, i) => (i === 0 ? l.replace(/^[^\t]+/, 'NaN') : l))
        .join('\n'),
    );
    writeFileSync(
      join(dir, 'y-nan.tsv'),
      ['y', ...y.map((v, i) => (i === 3 ? 'NaN' : String(v)))].join('\n'),
    );
    writeFileSync(join(dir, 'semicolons.csv'), table(x).replace(/\t/g, ';'));
    writeFileSync(join(dir, 'decimal-commas.tsv'), table(x).replace(/\./g, ','));
    writeFileSync(
      join(dir, 'numpy.tsv'),
      Buffer.concat([Buffer.from([0x93]), Buffer.from("NUMPY\u0001\u0000v\u0000{'descr': '<f8'}")]),
    );
    it.each([
      [
        'nan-first-col.tsv',
        'y.tsv',
        /nan-first-col\.tsv, line 5, column 'g0': a missing value \('NaN'\), which X and y may not have$/m,
      ],
      [
        'abc-first-col.tsv',
        'y.tsv',
        /abc-first-col\.tsv, line 5, column 'g0': expected a finite number, got 'abc'$/m,
      ],
      [
        'nan-first-row.tsv',
        'y1.tsv',
        /nan-first-row\.tsv, line 1, column '1': a missing value \('NaN'\)/,
      ],
      [
        'X.tsv',
        'y-nan.tsv',
        /y-nan\.tsv, line 5, column 'y': a missing value \('NaN'\), which X and y may not have$/m,
      ],
      [
        'semicolons.csv',
        'y.tsv',
        /semicolons\.csv: no numeric columns: it looks semicolon-separated/,
      ],
      [
        'decimal-commas.tsv',
        'y.tsv',
        /decimal-commas\.tsv, line 2, column 'g\d': expected a finite number, got '\S+,\S+' \(and \d+ more bad cells\): it looks like it uses decimal commas/,
      ],
      ['numpy.tsv', 'y.tsv', /numpy\.tsv.*: it is a NumPy \.npy file \(name it \.npy\)/],
    ])('X %s, y %s: exit 2 naming the cell', async (xFile, yFile, message) => {
      const r = await run([
        'lasso',
        '--x',
        join(dir, xFile),
        '--y',
        join(dir, yFile),
        '--alpha',
        '0.1',
        '--out',
        join(dir, 'never'),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(dir, 'never', 'coef.tsv'))).toBe(false);
    });

    it('--header no and --row-names yes force the layout, and the decision is logged and recorded', async () => {
      const forced = await run(['lasso', '--x', X, '--y', Y, '--alpha', '0.1', '--header', 'no']);
      expect(forced.code).toBe(2);
      expect(forced.stderr).toMatch(
        /X\.tsv, line 1, column '1': expected a finite number, got 'g0'/,
      );
      const out = join(dir, 'layout');
      const named = await run([
        'lasso',
        '--x',
        X,
        '--y',
        Y,
        '--alpha',
        '0.05',
        '--row-names',
        'yes',
        '--out',
        out,
      ]);
      expect(named.code).toBe(0);
      expect(named.stderr).toMatch(/read .*X\.tsv: header yes, row names yes/);
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
        d: number;
        layout: Record<string, { header: boolean; rowNames: boolean }>;
      };
      // The first column became row names: one feature fewer.
      expect(result.d).toBe(d - 1);
      expect(result.layout['x']).toEqual({ header: true, rowNames: true });
      expect(result.layout['y']).toEqual({ header: true, rowNames: false });
    });
  });
});
