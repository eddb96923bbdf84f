import { fisherYates, mulberry32 } from '@spredjs/core';
import type { DesignMatrix } from '@spredjs/solvers/linear';

/** Options of {@link hsicBlocks}. */
export interface HsicBlockOptions {
  /** Block size B (Climente-González et al. 2019). Default 10. */
  readonly blockSize?: number;
  /** Random sample orders M whose blocks are stacked. Default 3. */
  readonly permutations?: number;
  /** Default 0. */
  readonly seed?: number;
}

/**
 * The regression block HSIC Lasso solves: M seeded random orders of the samples cut into blocks of
 * B (a short last block is dropped); in every block the centered (HKH, H = I − 11ᵀ/B), unit-
 * Frobenius Gram matrices — the delta kernel of the labels (1/n_c within class c) as the target,
 * and one Gaussian kernel exp(−(x_i − x_j)²/2) per feature as a design column. Each is stacked
 * over the blocks, so a column holds n·B·M values (float64, column-major).
 *
 * `x` is row-major n × p, already standardized (z-scores).
 *
 * @example
 * ```ts
 * const { design, target } = hsicBlocks(x, n, p, labels, { blockSize: 10, permutations: 3 });
 * design.rows; // blocks × B²
 * ```
 */
export function hsicBlocks(
  x: Float32Array,
  n: number,
  p: number,
  labels: Int32Array,
  options: HsicBlockOptions = {},
): { readonly design: DesignMatrix; readonly target: Float64Array } {
  const B = Math.max(2, Math.min(options.blockSize ?? 10, n));
  const M = options.permutations ?? 3;
  const random = mulberry32((options.seed ?? 0) + 12345);
  // The blocks: M random orders of the samples, cut into blocks of B (a short last block is dropped).
  const blocks: number[][] = [];
  for (let m = 0; m < M; m++) {
    const order = fisherYates(
      Array.from({ length: n }, (_, i) => i),
      random,
    );
    for (let b = 0; b + B <= n; b += B) blocks.push(order.slice(b, b + B));
  }
  const rows = blocks.length * B * B;
  // Target: the centered, normalized delta kernel of each block, stacked.
  const classCounts = new Map<number, number>();
  labels.forEach((l) => classCounts.set(l, (classCounts.get(l) ?? 0) + 1));
  const target = new Float64Array(rows);
  const gram = new Float64Array(B * B);
  blocks.forEach((block, bi) => {
    for (let i = 0; i < B; i++)
      for (let j = 0; j < B; j++) {
        const li = labels[block[i] as number] as number;
        gram[i * B + j] =
          li === labels[block[j] as number] ? 1 / (classCounts.get(li) as number) : 0;
      }
    centerNormalize(gram, B);
    target.set(gram, bi * B * B);
  });
  // Design: one column of stacked centered, normalized Gaussian-kernel blocks per feature.
  const design = new Float64Array(rows * p);
  const column = new Float64Array(rows);
  for (let k = 0; k < p; k++) {
    blocks.forEach((block, bi) => {
      for (let i = 0; i < B; i++) {
        const xi = x[(block[i] as number) * p + k] as number;
        for (let j = 0; j < B; j++) {
          const d = xi - (x[(block[j] as number) * p + k] as number);
          gram[i * B + j] = Math.exp(-0.5 * d * d);
        }
      }
      centerNormalize(gram, B);
      column.set(gram, bi * B * B);
    });
    design.set(column, k * rows);
  }
  return { design: { rows, cols: p, data: design }, target };
}

/** HKH with H = I − 11ᵀ/B, scaled to unit Frobenius norm (left at 0 when it vanishes). */
function centerNormalize(k: Float64Array, B: number): void {
  const rowMeans = new Float64Array(B);
  let mean = 0;
  for (let i = 0; i < B; i++) {
    let s = 0;
    for (let j = 0; j < B; j++) s += k[i * B + j] as number;
    rowMeans[i] = s / B;
    mean += s;
  }
  mean /= B * B;
  let norm = 0;
  for (let i = 0; i < B; i++)
    for (let j = 0; j < B; j++) {
      // K is symmetric, so column means equal row means.
      const v = (k[i * B + j] as number) - (rowMeans[i] as number) - (rowMeans[j] as number) + mean;
      k[i * B + j] = v;
      norm += v * v;
    }
  if (norm > 1e-24) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < B * B; i++) k[i] = (k[i] as number) * scale;
  }
}
