import { SpredInputError } from '@spredjs/core';

/** Options of {@link fitPreprocessing}. */
export interface PreprocessingOptions {
  /**
   * `'auto'` (default): log-transform when the values look like raw intensities or counts (the
   * 99th percentile of the training values exceeds 100), as x ↦ log2(max(x, 0) + 1).
   */
  readonly log2?: 'auto' | boolean;
  /** Keep only the this many genes of largest training variance (after the log). Default: all. */
  readonly topVariance?: number;
}

/** A preprocessing fitted on training samples: apply it unchanged to dev and test samples. */
export interface Preprocessing {
  readonly log2: boolean;
  /** Indices (into the input features) of the features kept, in input order. */
  readonly features: Int32Array;
  /** Training mean of every kept feature (after the log); also the imputed value. */
  readonly means: Float64Array;
  readonly stds: Float64Array;
}

/**
 * Fits the usual expression preprocessing on the training samples only (row-major n × p, NaN where
 * missing): log2 when the values look raw, mean imputation, per-gene standardization; genes that
 * are constant or missing on every training sample are dropped, then an optional variance filter.
 */
export function fitPreprocessing(
  values: Float64Array,
  n: number,
  p: number,
  options: PreprocessingOptions = {},
): Preprocessing {
  if (values.length !== n * p)
    throw new SpredInputError(`expected ${n}×${p} values, got ${values.length}`);
  if (n < 2) throw new SpredInputError(`preprocessing needs at least 2 training samples, got ${n}`);
  const log2 =
    options.log2 === 'auto' || options.log2 === undefined ? looksRaw(values) : options.log2;
  const sums = new Float64Array(p);
  const squares = new Float64Array(p);
  const counts = new Int32Array(p);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++) {
      const v = values[i * p + j] as number;
      if (Number.isNaN(v)) continue;
      const x = log2 ? Math.log2(Math.max(v, 0) + 1) : v;
      sums[j] = (sums[j] as number) + x;
      squares[j] = (squares[j] as number) + x * x;
      counts[j] = (counts[j] as number) + 1;
    }
  const candidates: { j: number; mean: number; variance: number }[] = [];
  for (let j = 0; j < p; j++) {
    const c = counts[j] as number;
    if (c < 2) continue;
    const mean = (sums[j] as number) / c;
    const variance = Math.max((squares[j] as number) / c - mean * mean, 0);
    if (variance > 1e-12 * Math.max(1, mean * mean)) candidates.push({ j, mean, variance });
  }
  if (candidates.length === 0)
    throw new SpredInputError('every gene is constant or missing on the training samples');
  let kept = candidates;
  if (options.topVariance !== undefined && options.topVariance < candidates.length) {
    if (!(Number.isInteger(options.topVariance) && options.topVariance > 0))
      throw new SpredInputError(
        `topVariance must be a positive integer, got ${options.topVariance}`,
      );
    kept = [...candidates]
      .sort((a, b) => b.variance - a.variance || a.j - b.j)
      .slice(0, options.topVariance)
      .sort((a, b) => a.j - b.j);
  }
  return {
    log2,
    features: Int32Array.from(kept.map((k) => k.j)),
    means: Float64Array.from(kept.map((k) => k.mean)),
    stds: Float64Array.from(kept.map((k) => Math.sqrt(k.variance))),
  };
}

/** Applies a fitted preprocessing to row-major samples × (all input) features; returns samples × kept features. */
export function applyPreprocessing(
  prep: Preprocessing,
  values: Float64Array,
  n: number,
  p: number,
): Float32Array {
  const k = prep.features.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let f = 0; f < k; f++) {
      const v = values[i * p + (prep.features[f] as number)] as number;
      if (Number.isNaN(v)) continue; // imputed with the mean: 0 after standardizing
      const x = prep.log2 ? Math.log2(Math.max(v, 0) + 1) : v;
      out[i * k + f] = (x - (prep.means[f] as number)) / (prep.stds[f] as number);
    }
  return out;
}

function looksRaw(values: Float64Array): boolean {
  const step = Math.max(1, Math.floor(values.length / 100_000));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) sample.push(v);
  }
  if (sample.length === 0) return false;
  sample.sort((a, b) => a - b);
  return (sample[Math.floor(0.99 * (sample.length - 1))] as number) > 100;
}
