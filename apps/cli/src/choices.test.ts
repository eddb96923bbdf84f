import { DEFAULT_KAPPA_RATIOS, METHODS } from '@spredjs/genomics';
import { IMAGE_DATASETS, PRUNE_METHODS } from '@spredjs/vision';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KAPPA_RATIO_CHOICES,
  GENE_METHOD_CHOICES,
  IMAGE_DATASET_CHOICES,
  PRUNE_METHOD_CHOICES,
} from './choices.js';

describe('the choices of the flags, declared without loading the packages', () => {
  it('are the packages own lists, in the same order', () => {
    expect(IMAGE_DATASET_CHOICES).toEqual(IMAGE_DATASETS);
    expect(PRUNE_METHOD_CHOICES).toEqual(PRUNE_METHODS);
    expect(GENE_METHOD_CHOICES).toEqual(METHODS);
    expect(DEFAULT_KAPPA_RATIO_CHOICES).toEqual(DEFAULT_KAPPA_RATIOS);
  });
});
