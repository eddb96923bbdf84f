/**
 * Expression data as biologists have it: samples × features (probes or genes) with names, missing
 * values as NaN, and per-sample annotations (class labels and the like) by column name.
 */
export interface ExpressionSet {
  readonly samples: readonly string[];
  /** Probe (or gene) identifiers, one per feature. */
  readonly features: readonly string[];
  /** Gene symbols per feature, when the file has them. */
  readonly symbols?: readonly (string | undefined)[];
  /** Row-major samples × features; NaN where the value is missing. */
  readonly values: Float64Array;
  /** Annotation columns: for each name, one value per sample (undefined when the sample has none). */
  readonly annotations: Readonly<Record<string, readonly (string | undefined)[]>>;
}
