import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../program.js';
import { captureIO } from '../testing/capture-io.js';

const ALON = join(import.meta.dirname, '../../data/alon');
const FAST = ['--repeats', '2', '--kappas', '0.3', '--hidden', '16', '--baseline-hidden', '16'];
const FAST2 = ['--epochs', '30', '--top-variance', '200', '--workers', '2'];
const readRun = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as { testAccuracy: number; secondsPerFit: number };

describe('spred select-genes', () => {
  it('runs every method on the bundled Alon colon data and writes the tables, result.json and figures', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spred-sg-'));
    const args = [
      'select-genes',
      '--expression',
      join(ALON, 'expression.tsv.gz'),
      '--samples',
      join(ALON, 'samples.tsv'),
      '--label',
      'class',
      ...FAST,
      ...FAST2,
      '--out',
      out,
    ];
    const io = captureIO();
    // stderr is not a terminal here (as when it goes to a log file): the bar still prints lines.
    const progress: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      progress.push(String(chunk));
      return true;
    });
    try {
      expect(await runCli(args, io)).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(process.stderr.isTTY).toBeFalsy();
    const lines = progress.join('').split('\n');
    expect(lines.some((l) => /^select-genes \[.*\] 0\/12 runs \| ETA /.test(l))).toBe(true);
    expect(lines.some((l) => /^select-genes \[.*\] 12\/12 runs \| ETA /.test(l))).toBe(true);
    expect(io.stdout.join('\n')).toMatch(/^spred: genes kept per repeat \d+, \d+$/m);
    const accuracy = readFileSync(join(out, 'accuracy.tsv'), 'utf8').trim().split('\n');
    expect(accuracy[0]).toBe('method\tmean\tsd\trepeats');
    expect(accuracy.slice(1).map((l) => l.split('\t')[0])).toEqual([
      'spred',
      'l1-logistic',
      'mlp',
      'linear',
      'l1-mlp',
      'hsic-lasso',
    ]);
    for (const line of accuracy.slice(1)) expect(line.split('\t')[3]?.split(',')).toHaveLength(2);
    const genes = readFileSync(join(out, 'genes.tsv'), 'utf8').trim().split('\n');
    expect(genes[0]).toBe('rank\tgene\tweight\tfrequency');
    expect(genes[1]).toMatch(/^1\t\S+\t[\d.e-]+\t(0\.5|1)$/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      classes: string[];
      majorityRate: number;
      complete: boolean;
      selectedGenes: Record<string, { rank: number; gene: string; frequency: number }[]>;
    };
    expect(result.classes).toEqual(['n', 't']);
    expect(Object.keys(result.selectedGenes)).toEqual(['spred', 'l1-logistic', 'hsic-lasso']);
    expect(result.selectedGenes['l1-logistic']?.[0]?.rank).toBe(1);
    expect(io.stdout.join('\n')).toMatch(/^l1-logistic +\d+\.\d% ± /m);
    expect(io.stdout.join('\n')).toMatch(/^l1-logistic's top genes: \S+ \(\d+%\)/m);
    expect(result.complete).toBe(true);
    expect(result.majorityRate).toBeGreaterThan(0.6);
    expect(existsSync(join(out, 'accuracy.svg'))).toBe(true);
    expect(readFileSync(join(out, 'genes.svg'), 'utf8')).toContain('<svg');
    expect(io.stderr.join('\n')).toMatch(/backend: /);
    // A rerun resumes: a saved run is read back, not refitted (its marked time survives), and only
    // the missing one is fitted again, to the same result; the table is the same.
    const runs = join(out, 'runs');
    const saved = join(runs, 'linear-repeat-01.json');
    writeFileSync(saved, JSON.stringify({ ...readRun(saved), secondsPerFit: 12345 }));
    const refit = join(runs, 'spred-repeat-02.json');
    const before = readRun(refit);
    rmSync(refit);
    expect(await runCli(args, captureIO())).toBe(0);
    expect(readFileSync(join(out, 'accuracy.tsv'), 'utf8').trim().split('\n')).toEqual(accuracy);
    const rerun = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      runs: { method: string; repeat: number; secondsPerFit: number }[];
    };
    const linear0 = rerun.runs.find((r) => r.method === 'linear' && r.repeat === 0);
    expect(linear0?.secondsPerFit).toBe(12345);
    const again = readRun(refit); // the deleted run, fitted again
    expect({ ...again, secondsPerFit: 0 }).toEqual({ ...before, secondsPerFit: 0 });
  });

  it('reports bad input with exit code 2 and a message naming the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-sg-bad-'));
    writeFileSync(join(dir, 'one-class.tsv'), 'sample\tclass\n1\tt\n');
    const cases: [string[], RegExp][] = [
      [
        ['--label', 'class'],
        /give --soft FILE, --series-matrix FILE, or --expression FILE with --samples FILE/,
      ],
      [
        ['--soft', 'a.soft', '--series-matrix', 'b.txt', '--label', 'x'],
        /give one input: --soft, --series-matrix, or --expression with --samples/,
      ],
      [
        ['--expression', join(ALON, 'expression.tsv.gz'), '--label', 'class'],
        /--expression and --samples go together/,
      ],
      [
        ['--series-matrix', join(dir, 'one-class.tsv'), '--label', 'class'],
        /not a GEO series matrix/,
      ],
      [
        [
          '--expression',
          join(ALON, 'expression.tsv.gz'),
          '--samples',
          join(ALON, 'samples.tsv'),
          '--label',
          'stage',
        ],
        /no label column 'stage' \(columns: class\)/,
      ],
      [
        [
          '--expression',
          join(ALON, 'expression.tsv.gz'),
          '--samples',
          join(ALON, 'samples.tsv'),
          '--label',
          'class',
          '--methods',
          'spred,svm',
        ],
        /unknown method 'svm'/,
      ],
      [
        [
          '--expression',
          join(ALON, 'expression.tsv.gz'),
          '--samples',
          join(dir, 'one-class.tsv'),
          '--label',
          'class',
        ],
        /no row for 61 sample\(s\)/,
      ],
      [['--soft', join(dir, 'missing.soft.gz'), '--label', 'x'], /missing\.soft\.gz: no such file/],
      [['--label', 'class', '--kappas', '0.1,-1'], /expected comma-separated positive numbers/],
    ];
    for (const [args, message] of cases) {
      const io = captureIO();
      expect(await runCli(['select-genes', ...args], io), args.join(' ')).toBe(2);
      expect(io.stderr.join('\n')).toMatch(message);
    }
  });
});
