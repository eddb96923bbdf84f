import { readFileSync } from 'node:fs';

/** The files every process of one case reads: the same bytes for every solver. */
export interface CaseFiles {
  /** X as a float64 C-order `.npy`. */
  readonly x: string;
  /** y as a float64 `.npy` (regression) or one label per line (`.tsv`, classification). */
  readonly y: string;
  /** The α grid of a path, descending, as raw little-endian float64. */
  readonly alphas?: string;
}

/** A regularization path read back from a solver: one coefficient vector per α. */
export interface PathAnswer {
  readonly alphas: Float64Array;
  readonly coefs: readonly Float64Array[];
}

/**
 * Reads a file of raw little-endian float64 values (what `ndarray.tofile` and R's `writeBin`
 * write).
 *
 * @example
 * ```ts
 * const coef = readFloat64File(join(dir, 'coef.f64'));
 * ```
 */
export function readFloat64File(path: string): Float64Array {
  const bytes = readFileSync(path);
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
