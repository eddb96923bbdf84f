/**
 * @packageDocumentation
 * `@spredjs/genomics/io`: the expression-data readers of `@spredjs/genomics` without anything that
 * loads tfjs (for tools that only read data, such as the CLI's float64 lasso demo). Files are read
 * through `@spredjs/io`, so gzip is told by its magic bytes, whatever the file name.
 */
export { readGdsSoft } from './read-gds-soft.js';
export type { ExpressionSet } from './expression-set.js';
export { readExpressionTable } from './read-expression-table.js';
export type { ExpressionTable, TableOrientation } from './read-expression-table.js';
export { readSampleSheet } from './read-sample-sheet.js';
export type { SampleSheet } from './read-sample-sheet.js';
export { readExpressionDataset } from './read-expression-dataset.js';
export type { ExpressionDatasetOptions } from './read-expression-dataset.js';
export { readSeriesMatrix } from './read-series-matrix.js';
