import { boxMuller, mulberry32 } from '@spred/core';

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
