import { boxMuller, mulberry32 } from '@spredjs/core';

/** Standard normal draws from a seeded uniform source (core's Box–Muller). */
export function gaussian(seed: number): () => number {
  return boxMuller(mulberry32(seed));
}

/**
 * A sparse linear regression problem: X n × d Gaussian (rows as arrays), `nonzeros` true
 * coefficients of size ±(1…2), y = Xw + σ·noise. Test fixture (seeded).
 */
export function sparseRegression(
  n: number,
  d: number,
  nonzeros: number,
  noise: number,
  seed: number,
) {
  const draw = gaussian(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: d }, draw));
  const truth = new Array<number>(d).fill(0);
  for (let j = 0; j < nonzeros; j++)
    truth[(j * 7919) % d] = (j % 2 === 0 ? 1 : -1) * (1 + (j % 3) / 2);
  const y = x.map(
    (row) => row.reduce((s, v, j) => s + v * (truth[j] as number), 0) + noise * draw(),
  );
  return { x, y, truth };
}

/** Rows of an n × d design with orthogonal columns, XᵀX = n·I (Sylvester–Hadamard ±1 entries), n a power of two. */
export function orthogonalDesign(n: number, d: number): number[][] {
  const popcount = (v: number) => {
    let c = 0;
    for (let k = v; k > 0; k >>= 1) c += k & 1;
    return c;
  };
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, j) => (popcount(i & (j + 1)) % 2 === 0 ? 1 : -1)),
  );
}

/**
 * y = X·truth + a smooth wiggle + 0.7 on a 32 × 12 orthogonal design (XᵀX = nI, centered
 * columns), with z = Xᵀ(y − ȳ)/n: the lasso with intercept at α is exactly S(z, α), intercept ȳ.
 */
export function orthogonalLassoProblem(): {
  x: number[][];
  y: number[];
  n: number;
  d: number;
  ybar: number;
  z: number[];
} {
  const n = 32;
  const d = 12;
  const x = orthogonalDesign(n, d);
  const truth = [2, -1.5, 1, -0.8, 0.6, -0.4, 0.3, -0.2, 0.1, -0.05, 0, 0];
  const y = x.map(
    (row, i) =>
      row.reduce((s, v, j) => s + v * (truth[j] as number), 0) + 0.05 * Math.sin(3 * i) + 0.7,
  );
  const ybar = y.reduce((a, b) => a + b, 0) / n;
  const z = Array.from(
    { length: d },
    (_, j) => x.reduce((s, row, i) => s + (row[j] as number) * ((y[i] as number) - ybar), 0) / n,
  );
  return { x, y, n, d, ybar, z };
}
