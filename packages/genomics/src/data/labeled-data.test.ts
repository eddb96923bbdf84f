import { describe, expect, it } from 'vitest';
import type { ExpressionSet } from '../io/expression-set.js';
import { labeledData } from './labeled-data.js';

const set: ExpressionSet = {
  samples: ['a', 'b', 'c', 'd', 'e'],
  features: ['p1', 'p2'],
  symbols: ['TP53', undefined],
  values: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  annotations: {
    BT: ['B1', 'T2', 'B', undefined, 'T'],
    sex: ['M', 'M', 'M', 'M', 'M'],
  },
};

describe('class labels from an annotation column', () => {
  it('merges values into named classes and leaves out the samples of no class', () => {
    const data = labeledData(set, 'BT', { classes: ['B=B|B1|B2', 'T=T|T2'] });
    expect(data.classes).toEqual(['B', 'T']);
    expect(data.samples).toEqual(['a', 'b', 'c', 'e']);
    expect(Array.from(data.labels)).toEqual([0, 1, 0, 1]);
    expect(Array.from(data.values)).toEqual([1, 2, 3, 4, 5, 6, 9, 10]);
    expect(data.genes).toEqual(['TP53', 'p2']);
  });

  it('names the problem: unknown column, unlabeled samples, one class, an empty class', () => {
    expect(() => labeledData(set, 'stage')).toThrow(/no label column 'stage' \(columns: BT, sex\)/);
    expect(() => labeledData(set, 'BT')).toThrow(/no label for 1 sample\(s\): d/);
    expect(() => labeledData(set, 'sex')).toThrow(/only one class \('M'\)/);
    expect(() => labeledData(set, 'BT', { classes: ['B1', 'X'] })).toThrow(
      /no sample of class 'X'/,
    );
  });
});
