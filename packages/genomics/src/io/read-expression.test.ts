import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readExpressionDataset } from './read-expression-dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'spred-expr-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
};
const SHEET = 'sample\tclass\tage\nS1\ttumor\t50\nS2\tnormal\t\nS3\ttumor\t61\n';

describe('expression table + sample sheet', () => {
  it('reads genes × samples (gzipped TSV) and samples × genes (CSV) into the same set', () => {
    const samples = file('sheet.tsv', SHEET);
    const bySamples = readExpressionDataset({
      expression: file('a.tsv.gz', 'gene\tS1\tS2\tS3\nTP53\t1\t2\tNA\nMYC\t4\t5\t6\n'),
      samples,
    });
    const byGenes = readExpressionDataset({
      expression: file('b.csv', 'id,TP53,MYC\nS1,1,4\nS2,2,5\nS3,,6\n'),
      samples,
    });
    for (const set of [bySamples, byGenes]) {
      expect(set.samples).toEqual(['S1', 'S2', 'S3']);
      expect(set.features).toEqual(['TP53', 'MYC']);
      expect(Array.from(set.values)).toEqual([1, 4, 2, 5, NaN, 6]);
      expect(set.annotations['class']).toEqual(['tumor', 'normal', 'tumor']);
      expect(set.annotations['age']).toEqual(['50', undefined, '61']);
    }
  });

  it('names file, line and column for bad input', () => {
    const samples = file('sheet2.tsv', SHEET);
    const cases: [string, string, RegExp][] = [
      ['ragged.tsv', 'gene\tS1\tS2\tS3\nTP53\t1\t2\n', /ragged\.tsv, line 2: .*(column|record)/i],
      [
        'text.tsv',
        'gene\tS1\tS2\tS3\nTP53\t1\thigh\t3\n',
        /text\.tsv, line 2, column 'S2': expected a number \(or NA\), got 'high'/,
      ],
      [
        'texts.tsv',
        'gene\tS1\tS2\tS3\nTP53\t1\thigh\t3\nEGFR\tlow\t2\tNA\nMYC\t1\t2\t?\n',
        /texts\.tsv, line 2, column 'S2': expected a number \(or NA\), got 'high' \(and 2 more bad cells\)$/,
      ],
      [
        'dup.tsv',
        'gene\tS1\tS2\tS3\nTP53\t1\t2\t3\nTP53\t1\t2\t3\n',
        /dup\.tsv, line 3: gene 'TP53' appears twice/,
      ],
      ['empty.tsv', '', /empty\.tsv: the file is empty/],
      [
        'stranger.tsv',
        'gene\tS1\tS2\tS9\nTP53\t1\t2\t3\n',
        /no row for 1 sample\(s\) of .*stranger\.tsv: S9/,
      ],
      ['none.tsv', 'gene\tA\tB\nTP53\t1\t2\n', /no sample id of the sample sheet appears/],
    ];
    for (const [name, text, message] of cases)
      expect(() => readExpressionDataset({ expression: file(name, text), samples }), name).toThrow(
        message,
      );
    const dupSheet = file('dup-sheet.tsv', 'sample\tclass\nS1\ta\nS1\tb\n');
    expect(() =>
      readExpressionDataset({
        expression: file('ok.tsv', 'gene\tS1\nTP53\t1\n'),
        samples: dupSheet,
      }),
    ).toThrow(/dup-sheet\.tsv, line 3: sample 'S1' appears twice/);
  });

  // The shared data sits beside the checkout (and CI's clone); without it the test is skipped.
  const allLeukemia = join(import.meta.dirname, '../../../../../shared/data/all-leukemia');
  it.skipIf(!existsSync(allLeukemia))(
    'reads the ALL leukemia set: 12,625 probes × 128 patients with their annotations',
    () => {
      const root = allLeukemia;
      const set = readExpressionDataset({
        expression: join(root, 'expression.tsv.gz'),
        samples: join(root, 'samples.tsv'),
      });
      expect(set.features).toHaveLength(12_625);
      expect(set.samples).toHaveLength(128);
      expect(set.annotations['mol.biol']?.filter((m) => m === 'BCR/ABL')).toHaveLength(37);
      expect(set.annotations['mol.biol']?.filter((m) => m === 'NEG')).toHaveLength(74);
    },
  );
});
