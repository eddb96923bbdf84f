import { fisherYates, mulberry32, SpredInputError } from '@spred/core';
import {
  coordinateDescentSolver,
  dualityGap,
  l1Penalty,
  squaredLoss,
  type DesignMatrix,
  type SolveResult,
  type SparseProblem,
} from '@spred/solvers/linear';

/** Options of {@link hsicLasso}. */
export interface HsicLassoOptions {
  /** How many genes to select. */
  readonly features: number;
  /** Block size B of block HSIC Lasso (Climente-González et al. 2019). Default 10. */
  readonly blockSize?: number;
  /** Random permutations M averaged by block HSIC Lasso. Default 3. */
  readonly permutations?: number;
  /** Default 0. */
  readonly seed?: number;
}

/** Genes chosen by HSIC Lasso, by decreasing weight. */
export interface HsicLassoResult {
  /** Indices of the selected features, largest coefficient first. */
  readonly selected: Int32Array;
  /** Their non-negative lasso coefficients α. */
  readonly weights: Float64Array;
  /** Penalty level at which the selection was read off. */
  readonly lambda: number;
}

/**
 * HSIC Lasso (Yamada et al. 2014) for classification: a Gaussian kernel per standardized feature,
 * the delta kernel on the labels, centered and normalized Gram matrices K̄_k and L̄, and the
 * non-negative lasso min_α ½‖L̄ − Σ_k α_k K̄_k‖²_F + λ‖α‖₁ with α ≥ 0. The block form (Gram
 * matrices restricted to B×B blocks of M random sample orders) keeps memory at n·B·M values per
 * feature, so 10⁴–10⁵ genes fit. λ decreases geometrically from the first entry (warm-started
 * coordinate descent with non-negative coefficients, `@spred/solvers`' own) until `features`
 * genes are active.
 *
 * `x` is row-major n × p, already standardized (z-scores).
 */
export function hsicLasso(
  x: Float32Array,
  n: number,
  p: number,
  labels: Int32Array,
  options: HsicLassoOptions,
): HsicLassoResult {
  if (x.length !== n * p) throw new SpredInputError(`expected ${n}×${p} values, got ${x.length}`);
  if (labels.length !== n) throw new SpredInputError(`expected ${n} labels, got ${labels.length}`);
  const want = Math.min(options.features, p);
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
  return nonNegativeLassoPath(design, rows, p, target, want);
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

/**
 * The non-negative lasso on a geometric λ path (λ_t = λ_max·0.93^t, warm-started), solved by the
 * solvers' coordinate descent with `positive` coefficients on working sets, stopping at the first
 * λ with at least `want` active features; returns the `want` largest coefficients. HSIC Lasso's
 * ½‖L̄ − Σ α_k K̄_k‖² + λ‖α‖₁ is the solvers' (1/2n)‖y − Xw‖² + α‖w‖₁ with n = rows and α = λ/n.
 */
function nonNegativeLassoPath(
  design: Float64Array,
  rows: number,
  p: number,
  target: Float64Array,
  want: number,
): HsicLassoResult {
  const x: DesignMatrix = { rows, cols: p, data: design };
  const problemAt = (alpha: number): SparseProblem => ({
    x,
    y: target,
    k: 1,
    datafit: squaredLoss,
    penalty: l1Penalty(alpha, undefined, { positive: true }),
    fitIntercept: false,
  });
  const intercept = new Float64Array(1);
  // λ_max/n: the largest positive correlation x_kᵀy/n (−∇F at α = 0).
  const zero = { w: new Float64Array(p), intercept };
  const alphaMax = dualityGap(problemAt(1), zero).negativeGradient.reduce(
    (m, v) => Math.max(m, v),
    0,
  );
  const solver = coordinateDescentSolver();
  let fit: SolveResult | undefined;
  let alpha = alphaMax;
  for (let step = 0; step < 200 && alphaMax > 0; step++) {
    alpha = alphaMax * Math.pow(0.93, step + 1);
    fit = solver.solve(problemAt(alpha), {
      tol: 1e-9,
      ...(fit !== undefined ? { warmStart: fit } : {}),
    });
    if (fit.w.reduce((c, a) => c + (a > 0 ? 1 : 0), 0) >= want) break;
  }
  const coefficients = fit?.w ?? zero.w;
  const order = Array.from({ length: p }, (_, k) => k)
    .filter((k) => (coefficients[k] as number) > 0)
    .sort((a, b) => (coefficients[b] as number) - (coefficients[a] as number) || a - b)
    .slice(0, want);
  return {
    selected: Int32Array.from(order),
    weights: Float64Array.from(order.map((k) => coefficients[k] as number)),
    lambda: alpha * rows,
  };
}
