import { SpredInputError } from '@spredjs/core';

/** A 2-D Gabor function fitted to one atom: what {@link fitGabor} returns. */
export interface GaborFit {
  /** 1 − SS_res / SS_tot of the fit over the atom's pixels (SS_tot about the atom's mean). */
  readonly r2: number;
  readonly amplitude: number;
  /** Centre, in pixels (x the column, y the row). */
  readonly x0: number;
  readonly y0: number;
  /** Orientation of the carrier, radians. */
  readonly theta: number;
  /** Envelope width along x', pixels. */
  readonly sigma: number;
  /** Aspect ratio of the envelope (y' width is σ/γ). */
  readonly gamma: number;
  /** Carrier wavelength, pixels. */
  readonly lambda: number;
  readonly psi: number;
}

/**
 * g(x, y) = A·exp(−(x'² + γ²y'²)/(2σ²))·cos(2πx'/λ + ψ) at p = [A, x0, y0, θ, log σ, log γ,
 * log λ, ψ] (logs keep σ, γ, λ positive), with x' = (x−x0)cosθ + (y−y0)sinθ and
 * y' = −(x−x0)sinθ + (y−y0)cosθ, written into `out` for every pixel of a size × size patch.
 */
function gabor(p: Float64Array, size: number, out: Float64Array): void {
  const [amplitude, x0, y0, theta, logSigma, logGamma, logLambda, psi] = p as unknown as number[];
  const c = Math.cos(theta as number);
  const s = Math.sin(theta as number);
  const sigma2 = 2 * Math.exp(2 * (logSigma as number));
  const gamma2 = Math.exp(2 * (logGamma as number));
  const k = (2 * Math.PI) / Math.exp(logLambda as number);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - (x0 as number);
      const dy = y - (y0 as number);
      const xr = dx * c + dy * s;
      const yr = -dx * s + dy * c;
      out[y * size + x] =
        (amplitude as number) *
        Math.exp(-(xr * xr + gamma2 * yr * yr) / sigma2) *
        Math.cos(k * xr + (psi as number));
    }
  }
}

/** Solves the m × m system A δ = b (row-major A, overwritten) by Gaussian elimination with pivoting. */
function solve(a: Float64Array, b: Float64Array, m: number): Float64Array | undefined {
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++)
      if (Math.abs(a[r * m + col] as number) > Math.abs(a[pivot * m + col] as number)) pivot = r;
    if (!(Math.abs(a[pivot * m + col] as number) > 1e-300)) return undefined;
    if (pivot !== col) {
      for (let j = 0; j < m; j++) {
        const t = a[col * m + j] as number;
        a[col * m + j] = a[pivot * m + j] as number;
        a[pivot * m + j] = t;
      }
      const t = b[col] as number;
      b[col] = b[pivot] as number;
      b[pivot] = t;
    }
    for (let r = col + 1; r < m; r++) {
      const f = (a[r * m + col] as number) / (a[col * m + col] as number);
      if (f === 0) continue;
      for (let j = col; j < m; j++)
        a[r * m + j] = (a[r * m + j] as number) - f * (a[col * m + j] as number);
      b[r] = (b[r] as number) - f * (b[col] as number);
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r] as number;
    for (let j = r + 1; j < m; j++) s -= (a[r * m + j] as number) * (x[j] as number);
    x[r] = s / (a[r * m + r] as number);
  }
  return x;
}

/** Levenberg–Marquardt from one start (forward-difference Jacobian): the least squares it reached. */
function levenbergMarquardt(
  target: Float64Array,
  size: number,
  start: Float64Array,
  iterations: number,
): { p: Float64Array; cost: number } {
  const m = start.length;
  const n = target.length;
  const model = new Float64Array(n);
  const shifted = new Float64Array(n);
  const jacobian = new Float64Array(n * m);
  const residual = new Float64Array(n);
  const costOf = (p: Float64Array) => {
    gabor(p, size, model);
    let cost = 0;
    for (let i = 0; i < n; i++) cost += ((model[i] as number) - (target[i] as number)) ** 2;
    return Number.isFinite(cost) ? cost : Infinity;
  };
  let p: Float64Array = Float64Array.from(start);
  let cost = costOf(p);
  let mu = 1e-2;
  for (let it = 0; it < iterations; it++) {
    gabor(p, size, model);
    for (let i = 0; i < n; i++) residual[i] = (model[i] as number) - (target[i] as number);
    for (let j = 0; j < m; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(p[j] as number));
      const q = Float64Array.from(p);
      q[j] = (q[j] as number) + h;
      gabor(q, size, shifted);
      for (let i = 0; i < n; i++)
        jacobian[i * m + j] = ((shifted[i] as number) - (model[i] as number)) / h;
    }
    const jtj = new Float64Array(m * m);
    const jtr = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const r = residual[i] as number;
      for (let a = 0; a < m; a++) {
        const ja = jacobian[i * m + a] as number;
        jtr[a] = (jtr[a] as number) + ja * r;
        for (let b = a; b < m; b++)
          jtj[a * m + b] = (jtj[a * m + b] as number) + ja * (jacobian[i * m + b] as number);
      }
    }
    for (let a = 0; a < m; a++)
      for (let b = 0; b < a; b++) jtj[a * m + b] = jtj[b * m + a] as number;
    let improved = false;
    for (let attempt = 0; attempt < 8 && !improved; attempt++) {
      const damped = Float64Array.from(jtj);
      for (let a = 0; a < m; a++) damped[a * m + a] = (jtj[a * m + a] as number) * (1 + mu) + 1e-12;
      const step = solve(
        damped,
        Float64Array.from(jtr, (v) => -v),
        m,
      );
      if (step === undefined) {
        mu *= 10;
        continue;
      }
      const q = Float64Array.from(p, (v, j) => v + (step[j] as number));
      const next = costOf(q);
      if (next < cost) {
        const relative = (cost - next) / Math.max(cost, 1e-300);
        p = q;
        cost = next;
        mu = Math.max(mu / 3, 1e-9);
        improved = true;
        if (relative < 1e-9) return { p, cost };
      } else mu *= 4;
    }
    if (!improved) break;
  }
  return { p, cost };
}

/**
 * Fits a 2-D Gabor function g(x, y) = A·exp(−(x'² + γ²y'²)/(2σ²))·cos(2πx'/λ + ψ), with
 * x' = (x−x0)cosθ + (y−y0)sinθ and y' = −(x−x0)sinθ + (y−y0)cosθ, to one size × size atom
 * (row-major) by Levenberg–Marquardt from several starts (four orientations θ, three wavelengths
 * λ, two phases ψ, centred on the atom's energy centroid), keeping the best. R² ≥ 0.5 is the
 * usual "Gabor-like" read-out of a learned dictionary (localized, oriented, band-pass).
 *
 * @example
 * ```ts
 * fitGabor(model.components.subarray(0, 256), 16).r2; // 0.93 for an edge detector
 * ```
 */
export function fitGabor(atom: ArrayLike<number>, size: number): GaborFit {
  const n = size * size;
  if (!Number.isInteger(size) || size < 2 || atom.length !== n)
    throw new SpredInputError(
      `an atom of a ${size}×${size} patch has ${n} values, got ${atom.length}`,
    );
  const target = Float64Array.from(atom);
  let mean = 0;
  for (const v of target) mean += v / n;
  let total = 0;
  let peak = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    const v = target[i] as number;
    total += (v - mean) ** 2;
    peak = Math.max(peak, Math.abs(v));
    cx += v * v * (i % size);
    cy += v * v * Math.floor(i / size);
  }
  const energy = target.reduce((acc, v) => acc + v * v, 0);
  if (!(total > 0) || !(energy > 0))
    return {
      r2: 0,
      amplitude: 0,
      x0: 0,
      y0: 0,
      theta: 0,
      sigma: 1,
      gamma: 1,
      lambda: size,
      psi: 0,
    };
  cx /= energy;
  cy /= energy;
  // A few steps from every start, then the three most promising run to convergence.
  const screened: { p: Float64Array; cost: number }[] = [];
  for (const theta of [0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4])
    for (const lambda of [size / 4, size / 2, size].map((l) => Math.max(l, 2)))
      for (const psi of [0, Math.PI / 2]) {
        const start = Float64Array.of(
          peak,
          cx,
          cy,
          theta,
          Math.log(size / 5),
          0,
          Math.log(lambda),
          psi,
        );
        screened.push(levenbergMarquardt(target, size, start, 6));
      }
  screened.sort((u, v) => u.cost - v.cost);
  let best: { p: Float64Array; cost: number } = { p: new Float64Array(8), cost: Infinity };
  for (const candidate of screened.slice(0, 3)) {
    const fit = levenbergMarquardt(target, size, candidate.p, 80);
    if (fit.cost < best.cost) best = fit;
  }
  const [amplitude, x0, y0, theta, logSigma, logGamma, logLambda, psi] =
    best.p as unknown as number[];
  return {
    r2: Math.max(0, 1 - best.cost / total),
    amplitude: amplitude as number,
    x0: x0 as number,
    y0: y0 as number,
    theta: theta as number,
    sigma: Math.exp(logSigma as number),
    gamma: Math.exp(logGamma as number),
    lambda: Math.exp(logLambda as number),
    psi: psi as number,
  };
}

/**
 * R² of the fitted Gabor of every atom (k atoms of size² values, row-major) and the share with
 * R² ≥ `threshold` (default 0.5).
 *
 * @example
 * ```ts
 * gaborShare(model.components, 16).share; // e.g. 0.71
 * ```
 */
export function gaborShare(
  atoms: ArrayLike<number>,
  size: number,
  threshold = 0.5,
): { r2: number[]; share: number } {
  const d = size * size;
  const k = Math.floor(atoms.length / d);
  const r2 = Array.from(
    { length: k },
    (_, a) =>
      fitGabor(
        Float64Array.from({ length: d }, (_, i) => atoms[a * d + i] as number),
        size,
      ).r2,
  );
  return { r2, share: k === 0 ? 0 : r2.filter((v) => v >= threshold).length / k };
}
