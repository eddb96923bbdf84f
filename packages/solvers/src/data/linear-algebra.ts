import type { DesignMatrix } from './design-matrix.js';

/** Z = X·W for W d × k (row-major, W[j*k + c]); Z is n × k column-major. Skips zero rows of W. */
export function multiply(x: DesignMatrix, w: Float64Array, k: number): Float64Array {
  if (x.rowMajor !== undefined) return multiplyRowMajor(x.rowMajor, x.rows, x.cols, w, k);
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
  if (x.rowMajor !== undefined) return multiplyTransposedRowMajor(x.rowMajor, x.rows, x.cols, r, k);
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
  if (x.rowMajor !== undefined) {
    const d = x.cols;
    for (let i = 0; i < x.rows; i++)
      for (let j = 0; j < d; j++)
        out[j] = (out[j] as number) + (x.rowMajor[i * d + j] as number) ** 2;
    return out;
  }
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

/** {@link multiply} on row-major X (n × d): each row against W's nonzero rows only. */
function multiplyRowMajor(
  x: Float64Array,
  n: number,
  d: number,
  w: Float64Array,
  k: number,
): Float64Array {
  const z = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const support: number[] = [];
    for (let j = 0; j < d; j++) if ((w[j * k + c] as number) !== 0) support.push(j);
    if (support.length === 0) continue;
    const values = Float64Array.from(support, (j) => w[j * k + c] as number);
    for (let i = 0; i < n; i++) {
      const base = i * d;
      let s = 0;
      for (let q = 0; q < support.length; q++)
        s += (x[base + (support[q] as number)] as number) * (values[q] as number);
      z[c * n + i] = s;
    }
  }
  return z;
}

/** Columns per block of {@link multiplyTransposedRowMajor}: 16 KiB of G, which stays in L1. */
const COLUMN_BLOCK = 2048;

/**
 * {@link multiplyTransposed} on row-major X (n × d): for each block of columns, G_block +=
 * Σ_i r_i · X[i, block], four rows at a time, so G's block stays in cache and X is read once.
 */
function multiplyTransposedRowMajor(
  x: Float64Array,
  n: number,
  d: number,
  r: Float64Array,
  k: number,
): Float64Array {
  const g = new Float64Array(d * k);
  for (let c = 0; c < k; c++) {
    const out = k === 1 ? g : new Float64Array(d);
    const rc = k === 1 ? r : r.subarray(c * n, (c + 1) * n);
    for (let j0 = 0; j0 < d; j0 += COLUMN_BLOCK) {
      const jEnd = Math.min(j0 + COLUMN_BLOCK, d);
      let i = 0;
      for (; i + 3 < n; i += 4) {
        const r0 = rc[i] as number;
        const r1 = rc[i + 1] as number;
        const r2 = rc[i + 2] as number;
        const r3 = rc[i + 3] as number;
        const b0 = i * d;
        const b1 = b0 + d;
        const b2 = b1 + d;
        const b3 = b2 + d;
        for (let j = j0; j < jEnd; j++)
          out[j] =
            (out[j] as number) +
            r0 * (x[b0 + j] as number) +
            r1 * (x[b1 + j] as number) +
            r2 * (x[b2 + j] as number) +
            r3 * (x[b3 + j] as number);
      }
      for (; i < n; i++) {
        const ri = rc[i] as number;
        const base = i * d;
        for (let j = j0; j < jEnd; j++) out[j] = (out[j] as number) + ri * (x[base + j] as number);
      }
    }
    if (k !== 1) for (let j = 0; j < d; j++) g[j * k + c] = out[j] as number;
  }
  return g;
}
