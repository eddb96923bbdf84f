import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSeriesMatrix } from './read-series-matrix.js';

const dir = mkdtempSync(join(tmpdir(), 'spred-gse-'));
const MATRIX = [
  '!Series_title\t"A study"',
  '!Sample_title\t"tumor 1"\t"normal 1"',
  '!Sample_geo_accession\t"GSM1"\t"GSM2"',
  '!Sample_characteristics_ch1\t"disease state: RCC"\t"disease state: normal"',
  '!Sample_characteristics_ch1\t"sex: F"\t"sex: M"',
  '!series_matrix_table_begin',
  '"ID_REF"\t"GSM1"\t"GSM2"',
  '"1007_s_at"\t7.5\tnull',
  '"1053_at"\t3\t4',
  '!series_matrix_table_end',
].join('\n');

describe('GEO series matrix reader', () => {
  it('reads the table and turns !Sample_ lines (characteristics by key) into annotation columns', () => {
    writeFileSync(join(dir, 'GSE1_series_matrix.txt.gz'), gzipSync(MATRIX));
    const set = readSeriesMatrix(join(dir, 'GSE1_series_matrix.txt.gz'));
    expect(set.samples).toEqual(['GSM1', 'GSM2']);
    expect(set.features).toEqual(['1007_s_at', '1053_at']);
    expect(Array.from(set.values)).toEqual([7.5, 3, NaN, 4]);
    expect(set.annotations['disease state']).toEqual(['RCC', 'normal']);
    expect(set.annotations['sex']).toEqual(['F', 'M']);
    expect(set.annotations['title']).toEqual(['tumor 1', 'normal 1']);
  });

  it('names file and line for a truncated table, a ragged row and a bad value', () => {
    const cases: [string, RegExp][] = [
      [MATRIX.replace('!series_matrix_table_end', ''), /no !series_matrix_table_end/],
      [MATRIX.replace('"1053_at"\t3\t4', '"1053_at"\t3'), /line 9: 2 cells but the header has 3/],
      [
        MATRIX.replace('"1053_at"\t3\t4', '"1053_at"\t3\tx'),
        /line 9, column 'GSM2': expected a number/,
      ],
      ['!Series_title\tx', /not a GEO series matrix/],
    ];
    cases.forEach(([text, message], i) => {
      writeFileSync(join(dir, `bad${i}.txt`), text);
      expect(() => readSeriesMatrix(join(dir, `bad${i}.txt`))).toThrow(message);
    });
  });
});
