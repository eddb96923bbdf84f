/**
 * @packageDocumentation
 * Gene expression data for spred. So far: the GEO DataSet SOFT reader; the expression-table reader,
 * preprocessing and the nonlinear gene selector are still to come.
 */
export { readGdsSoft } from './io/read-gds-soft.js';
export type { ExpressionSet } from './io/expression-set.js';
