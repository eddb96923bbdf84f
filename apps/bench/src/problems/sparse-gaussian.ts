import { boxMuller, mulberry32 } from '@spredjs/core';
import type { DesignMatrix } from '@spredjs/solvers';

/** A seeded synthetic lasso problem: X n × d standard Gaussian (column-major), `nonzeros` true coefficients ±1, noise σ. */
export interface SyntheticProblem {
  readonly x: DesignMatrix;
  readonly y: Float64Array;
  readonly truth: Float64Array;
}

export function sparseGaussianProblem(
  n: number,
  d: number,
  nonzeros: number,
  noise: number,
  seed: number,
): SyntheticProblem {
  const gaussian = boxMuller(mulberry32(seed));
  const data = new Float64Array(n * d);
  for (let k = 0; k < data.length; k++) data[k] = gaussian();
  const truth = new Float64Array(d);
  for (let q = 0; q < nonzeros; q++) truth[Math.floor((q * d) / nonzeros)] = q % 2 === 0 ? 1 : -1;
  const y = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    const w = truth[j] as number;
    if (w !== 0)
      for (let i = 0; i < n; i++) y[i] = (y[i] as number) + w * (data[j * n + i] as number);
  }
  for (let i = 0; i < n; i++) y[i] = (y[i] as number) + noise * gaussian();
  return { x: { rows: n, cols: d, data }, y, truth };
}

/** F1 score of the supports of two coefficient vectors. */
export function supportF1(a: ArrayLike<number>, reference: ArrayLike<number>): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let j = 0; j < reference.length; j++) {
    const inA = (a[j] as number) !== 0;
    const inRef = (reference[j] as number) !== 0;
    if (inA && inRef) tp++;
    else if (inA) fp++;
    else if (inRef) fn++;
  }
  return tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);
}
