/**
 * Which columns of which matrix a working set's sub-matrix holds, so that what is computed on
 * one round's columns (rows of the Gram matrix) serves the next, larger round.
 */
export interface ColumnProvenance {
  /** The full design's values (its column-major data, or its row-major values): a cache key. */
  readonly parent: Float64Array;
  /** The parent's columns, ascending, that the sub-matrix holds in order. */
  readonly features: readonly number[];
}

const PROVENANCE = new WeakMap<Float64Array, ColumnProvenance>();

/** Records that `sub` holds the columns `features` (ascending) of `parent`. */
export function recordColumns(sub: Float64Array, provenance: ColumnProvenance): void {
  PROVENANCE.set(sub, provenance);
}

/** Where the columns of `data` come from (`undefined` for a matrix that is no sub-matrix). */
export function columnsOf(data: Float64Array): ColumnProvenance | undefined {
  return PROVENANCE.get(data);
}
