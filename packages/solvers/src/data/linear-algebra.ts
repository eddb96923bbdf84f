import type { DesignMatrix } from './design-matrix.js';

/** Z = X·W for W d × k (row-major, W[j*k + c]); Z is n × k column-major. Skips zero rows of W. */
export function multiply(x: DesignMatrix, w: Float64Array, k: number): Float64Array {
  const n = x.rows;
  const z = new Float64Array(n * k);
  for (let j = 0; j < x.cols; j++) {
    for (let c = 0; c < k; c++) {
      const wjc = w[j * k + c] as number;
      if (wjc === 0) continue;
      const base = j * n;
      const out = c * n;
      for (let i = 0; i < n; i++)
        z[out + i] = (z[out + i] as number) + wjc * (x.data[base + i] as number);
    }
  }
  return z;
}

/**
 * Σ_i a[ai + i]·b[bi + i] for i < n, with four partial sums (independent chains the CPU overlaps,
 * ≈2× a single running sum): the inner loop of every pass over X.
 */
export function dotAt(a: Float64Array, ai: number, b: Float64Array, bi: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += (a[ai + i] as number) * (b[bi + i] as number);
    s1 += (a[ai + i + 1] as number) * (b[bi + i + 1] as number);
    s2 += (a[ai + i + 2] as number) * (b[bi + i + 2] as number);
    s3 += (a[ai + i + 3] as number) * (b[bi + i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[ai + i] as number) * (b[bi + i] as number);
  return s0 + s1 + s2 + s3;
}

/** G = Xᵀ·R for R n × k column-major; G is d × k row-major (G[j*k + c]). */
export function multiplyTransposed(x: DesignMatrix, r: Float64Array, k: number): Float64Array {
  const n = x.rows;
  const g = new Float64Array(x.cols * k);
  for (let j = 0; j < x.cols; j++) {
    const base = j * n;
    for (let c = 0; c < k; c++) g[j * k + c] = dotAt(x.data, base, r, c * n, n);
  }
  return g;
}

/** ‖X_j‖² for every column. */
export function columnSquaredNorms(x: DesignMatrix): Float64Array {
  const out = new Float64Array(x.cols);
  for (let j = 0; j < x.cols; j++) {
    let s = 0;
    for (let i = 0; i < x.rows; i++) s += (x.data[j * x.rows + i] as number) ** 2;
    out[j] = s;
  }
  return out;
}

/** Largest eigenvalue of XᵀX/n by power iteration (the Lipschitz constant of the squared loss). */
export function spectralNormSquaredOverN(x: DesignMatrix, iterations = 100, seed = 1): number {
  let v: Float64Array = new Float64Array(x.cols);
  let state = seed;
  for (let j = 0; j < v.length; j++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    v[j] = state / 2147483648 - 0.5;
  }
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    const norm = Math.sqrt(v.reduce((s, a) => s + a * a, 0));
    if (norm === 0) return 0;
    for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / norm;
    const next = multiplyTransposed(x, multiply(x, v, 1), 1);
    const estimate = next.reduce((s, a, j) => s + a * (v[j] as number), 0) / x.rows;
    v = next;
    if (Math.abs(estimate - lambda) <= 1e-10 * Math.abs(estimate)) return estimate;
    lambda = estimate;
  }
  return lambda;
}

/** R = Y − X·W (n × k column-major), for W d × k row-major. */
export function residual(
  x: DesignMatrix,
  y: Float64Array,
  w: Float64Array,
  k: number,
): Float64Array {
  const z = multiply(x, w, k);
  return Float64Array.from(y, (v, i) => v - (z[i] as number));
}
