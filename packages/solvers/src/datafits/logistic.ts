import type { Datafit } from './datafit.js';

/** Entropy of a Bernoulli(q), 0·log 0 = 0. */
function bernoulliEntropy(q: number): number {
  const a = q > 0 ? -q * Math.log(q) : 0;
  const b = q < 1 ? -(1 - q) * Math.log(1 - q) : 0;
  return a + b;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Binary cross-entropy (1/n) Σ log(1 + e^{z_i}) − y_i z_i for labels y ∈ {0, 1} and logits z. */
export const logisticLoss: Datafit = {
  name: 'logistic',
  curvature: 0.25,
  value(z, y, n) {
    let s = 0;
    for (let i = 0; i < z.length; i++)
      s += softplus(z[i] as number) - (y[i] as number) * (z[i] as number);
    return s / n;
  },
  negativeSampleGradient(z, y) {
    return Float64Array.from(y, (v, i) => v - 1 / (1 + Math.exp(-(z[i] as number))));
  },
  dual(theta, s, y, n) {
    // f*(u) = (u + y) log(u + y) + (1 − u − y) log(1 − u − y): D = (1/n) Σ H(y − sθ).
    let d = 0;
    for (let i = 0; i < theta.length; i++)
      d += bernoulliEntropy(Math.min(1, Math.max(0, (y[i] as number) - s * (theta[i] as number))));
    return d / n;
  },
};
