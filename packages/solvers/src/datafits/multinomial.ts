import type { Datafit } from './datafit.js';

/** Softmax of row i of a column-major n × k matrix. */
function softmaxRow(z: Float64Array, i: number, n: number, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, z[c * n + i] as number);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((z[c * n + i] as number) - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] as number) / sum;
}

/** Multinomial cross-entropy (1/n) Σ_i logsumexp(Z_i) − ⟨Y_i, Z_i⟩ for one-hot Y (n × k). */
export const multinomialLoss: Datafit = {
  name: 'multinomial',
  curvature: 0.5,
  value(z, y, n, k) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[c * n + i] as number);
      let sum = 0;
      let dot = 0;
      for (let c = 0; c < k; c++) {
        sum += Math.exp((z[c * n + i] as number) - max);
        dot += (y[c * n + i] as number) * (z[c * n + i] as number);
      }
      s += max + Math.log(sum) - dot;
    }
    return s / n;
  },
  negativeSampleGradient(z, y, n, k) {
    const out = new Float64Array(n * k);
    const p = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      softmaxRow(z, i, n, k, p);
      for (let c = 0; c < k; c++) out[c * n + i] = (y[c * n + i] as number) - (p[c] as number);
    }
    return out;
  },
  dual(theta, s, y, n, k) {
    // f*(u) = Σ_c (u_c + y_c) log(u_c + y_c) on the simplex: D = (1/n) Σ_i H(Y_i − sΘ_i).
    let d = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const q = Math.max(0, (y[c * n + i] as number) - s * (theta[c * n + i] as number));
        if (q > 0) d -= q * Math.log(q);
      }
    }
    return d / n;
  },
};
