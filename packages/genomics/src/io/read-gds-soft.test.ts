import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readGdsSoft } from './read-gds-soft.js';

const dir = mkdtempSync(join(tmpdir(), 'spred-soft-'));
const soft = (table: string[], subsets = '') =>
  ['^DATASET = GDS1', subsets, '!dataset_table_begin', ...table, '!dataset_table_end'].join('\n');
const SUBSETS = [
  '^SUBSET = GDS1_1',
  '!subset_description = tumor',
  '!subset_sample_id = GSM1',
  '!subset_type = disease state',
  '^SUBSET = GDS1_2',
  '!subset_description = normal',
  '!subset_sample_id = GSM2',
  '!subset_type = disease state',
].join('\n');

describe('GEO SOFT reader', () => {
  it('reads the table, gene symbols, null as missing, and subsets as annotation columns', () => {
    writeFileSync(
      join(dir, 'a.soft.gz'),
      gzipSync(
        soft(['ID_REF\tIDENTIFIER\tGSM1\tGSM2', 'p1\tTP53\t1.5\tnull', 'p2\tMYC\t3\t4'], SUBSETS),
      ),
    );
    const gds = readGdsSoft(join(dir, 'a.soft.gz'));
    expect(gds.samples).toEqual(['GSM1', 'GSM2']);
    expect(gds.features).toEqual(['p1', 'p2']);
    expect(gds.symbols).toEqual(['TP53', 'MYC']);
    expect(Array.from(gds.values)).toEqual([1.5, 3, NaN, 4]);
    expect(gds.annotations['disease state']).toEqual(['tumor', 'normal']);
  });

  it('names file and line for ragged rows, bad values, unknown samples and truncation', () => {
    const cases: [string, RegExp][] = [
      [
        soft(['ID_REF\tIDENTIFIER\tGSM1\tGSM2', 'p1\tTP53\t1.5']),
        /line 5: 3 cells but the header has 4/,
      ],
      [
        soft(['ID_REF\tIDENTIFIER\tGSM1\tGSM2', 'p1\tTP53\t1.5\tabc']),
        /line 5, column 'GSM2': expected a number or null, got 'abc'/,
      ],
      [
        soft(['ID_REF\tIDENTIFIER\tGSM1\tGSM3', 'p1\tTP53\t1\t2'], SUBSETS),
        /subset 'normal' lists sample GSM2, which is not in the data table/,
      ],
      [soft(['ID_REF\tIDENTIFIER\tGSM1\tGSM1', 'p1\tTP53\t1\t2']), /sample 'GSM1' appears twice/],
      [
        '^DATASET = GDS1\n!dataset_table_begin\nID_REF\tGSM1\np1\t1\n',
        /no !dataset_table_end \(truncated file\?\)/,
      ],
      ['just text', /not a GEO DataSet \(GDS\) SOFT file/],
    ];
    cases.forEach(([content, message], i) => {
      writeFileSync(join(dir, `bad${i}.soft`), content);
      expect(() => readGdsSoft(join(dir, `bad${i}.soft`))).toThrow(message);
    });
  });

  // The shared data sits beside the checkout (and CI's clone); without it the test is skipped.
  const path = join(import.meta.dirname, '../../../../../shared/data/geo/GDS507.soft.gz');
  it.skipIf(!existsSync(path))(
    'reads GDS507: 22,645 probes × 17 samples, 9 RCC and 8 normal',
    () => {
      const gds = readGdsSoft(path);
      expect(gds.features).toHaveLength(22_645);
      expect(gds.samples).toHaveLength(17);
      const disease = gds.annotations['disease state'] as string[];
      expect(disease.filter((d) => d === 'RCC')).toHaveLength(9);
      expect(disease.filter((d) => d === 'normal')).toHaveLength(8);
      expect(gds.values).toHaveLength(22_645 * 17);
    },
  );
});
