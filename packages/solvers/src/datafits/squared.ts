import type { Datafit } from './datafit.js';

/** (1/2n)‖Y − Z‖²_F: scikit-learn's and glmnet's lasso scaling. */
export const squaredLoss: Datafit = {
  name: 'squared',
  curvature: 1,
  value(z, y, n) {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += ((y[i] as number) - (z[i] as number)) ** 2;
    return s / (2 * n);
  },
  negativeSampleGradient(z, y) {
    return Float64Array.from(y, (v, i) => v - (z[i] as number));
  },
  dual(theta, s, y, n) {
    let d = 0;
    for (let i = 0; i < theta.length; i++) {
      const t = s * (theta[i] as number);
      d += t * (y[i] as number) - 0.5 * t * t;
    }
    return d / n;
  },
};
