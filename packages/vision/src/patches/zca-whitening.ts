import { SpredInputError } from '@spredjs/core';
import { symmetricEigen } from './symmetric-eigen.js';

/** A fitted ZCA whitening: x ↦ W(x − μ) with W = E diag(1/√(λ + ε)) Eᵀ (symmetric, so patches stay patch-like). */
export interface ZcaWhitening {
  readonly dimension: number;
  readonly mean: Float64Array;
  /** d × d, row-major. */
  readonly matrix: Float64Array;
}

/**
 * Fits ZCA whitening on row-major patches (count × d): after it, the patch covariance is the
 * identity (up to ε, which keeps the weakest, noisiest directions from being amplified).
 * `epsilon` is relative to the mean eigenvalue. Default 1e-2.
 */
export function fitZca(
  patches: Float32Array | Float64Array,
  dimension: number,
  options: { epsilon?: number } = {},
): ZcaWhitening {
  const d = dimension;
  const count = patches.length / d;
  if (!Number.isInteger(count) || count < 2)
    throw new SpredInputError(`ZCA needs at least two patches of ${d} values`);
  const mean = new Float64Array(d);
  for (let p = 0; p < count; p++)
    for (let i = 0; i < d; i++)
      mean[i] = (mean[i] as number) + (patches[p * d + i] as number) / count;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let p = 0; p < count; p++) {
    for (let i = 0; i < d; i++) row[i] = (patches[p * d + i] as number) - (mean[i] as number);
    for (let i = 0; i < d; i++) {
      const ri = row[i] as number;
      if (ri === 0) continue;
      for (let j = i; j < d; j++)
        cov[i * d + j] = (cov[i * d + j] as number) + ri * (row[j] as number);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const c = (cov[i * d + j] as number) / (count - 1);
      cov[i * d + j] = c;
      cov[j * d + i] = c;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const meanEigen = values.reduce((a, b) => a + b, 0) / d;
  const eps = (options.epsilon ?? 1e-2) * meanEigen;
  const scale = Float64Array.from(values, (l) => 1 / Math.sqrt(Math.max(l, 0) + eps));
  const matrix = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++)
        s += (vectors[i * d + k] as number) * (scale[k] as number) * (vectors[j * d + k] as number);
      matrix[i * d + j] = s;
    }
  }
  return { dimension: d, mean, matrix };
}

/** Applies a fitted whitening to row-major patches, returning new float32 patches. */
export function applyZca(zca: ZcaWhitening, patches: Float32Array | Float64Array): Float32Array {
  const d = zca.dimension;
  if (patches.length % d !== 0)
    throw new SpredInputError(`patches have ${patches.length} values, not a multiple of ${d}`);
  const count = patches.length / d;
  const out = new Float32Array(patches.length);
  const row = new Float64Array(d);
  for (let p = 0; p < count; p++) {
    for (let i = 0; i < d; i++) row[i] = (patches[p * d + i] as number) - (zca.mean[i] as number);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (zca.matrix[i * d + j] as number) * (row[j] as number);
      out[p * d + i] = s;
    }
  }
  return out;
}
