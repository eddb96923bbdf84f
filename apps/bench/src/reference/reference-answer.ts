import type { DualityCertificate } from '../problems/duality-gap.js';

/** An answer every solver of a case is scored against, with the certificate that it is optimal. */
export interface ReferenceAnswer {
  readonly coef: Float64Array;
  readonly certificate: DualityCertificate;
  /** P(0): the scale of the gap. */
  readonly objectiveAtZero: number;
  /** gap ≤ 1e-13 · P(0). */
  readonly certified: boolean;
  /** How it was computed, for the report. */
  readonly method: string;
  readonly seconds: number;
}

/** How small the reference's duality gap must be, relative to P(0). */
export const REFERENCE_GAP = 1e-13;
