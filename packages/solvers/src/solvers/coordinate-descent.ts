import { SpredInputError } from '@spredjs/core/errors';
import { columnSquaredNorms, residual } from '../data/linear-algebra.js';
import {
  finalResult,
  recordGap,
  zeroObjective,
  type SolveOptions,
  type SolveResult,
  type SolverRecord,
  type SparseProblem,
} from './problem.js';

/**
 * Cyclic coordinate descent for squared loss with L1 / elastic-net penalties (each output column
 * independently) — the algorithm of glmnet and scikit-learn, in float64: exact minimization in one
 * coefficient at a time, w_j ← S(x_jᵀr/n + ‖x_j‖²w_j/n, l1_j) / (‖x_j‖²/n + l2), with the residual
 * kept up to date; a `positive` L1 penalty clamps the update at 0 (the non-negative lasso). Stops
 * when the duality gap ≤ tol × objective(0), checked every `gapEvery` epochs.
 */
export function coordinateDescent(
  problem: SparseProblem,
  options: SolveOptions & { gapEvery?: number } = {},
): SolveResult {
  const { x, y, k, penalty } = problem;
  if (penalty.name !== 'l1' && penalty.name !== 'elasticnet') {
    throw new SpredInputError(
      `coordinateDescent handles l1 and elasticnet penalties; use blockCoordinateDescent for ${penalty.name}`,
    );
  }
  if (problem.datafit.name !== 'squared')
    throw new SpredInputError(
      `solver 'cd' handles squared loss only; use 'fista' or 'spred' for ${problem.datafit.name}`,
    );
  if (problem.fitIntercept)
    throw new Error('internal: center the data instead of fitting an intercept in CD');
  const n = x.rows;
  const d = x.cols;
  const tol = options.tol ?? 1e-6;
  const maxIterations = options.maxIterations ?? 10_000;
  const gapEvery = options.gapEvery ?? 5;
  const scale = zeroObjective(problem);
  const norms = columnSquaredNorms(x);
  const levels = { l1: penalty.unitLevels(d), l2: penalty.ridge };
  const positive = penalty.positive === true;
  const w = Float64Array.from(options.warmStart?.w ?? new Float64Array(d * k));
  const intercept = new Float64Array(k);
  const started = performance.now();
  const history: SolverRecord[] = [];
  const r = residual(x, y, w, k);
  for (let epoch = 1; epoch <= maxIterations; epoch++) {
    if (options.signal?.aborted === true) break;
    for (let c = 0; c < k; c++) {
      const rc = c * n;
      for (let j = 0; j < d; j++) {
        const nj = norms[j] as number;
        if (nj === 0) continue;
        const base = j * n;
        const old = w[j * k + c] as number;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (x.data[base + i] as number) * (r[rc + i] as number);
        const z = dot / n + (nj / n) * old;
        const t = levels.l1[j] as number;
        // The non-negative lasso clamps at 0 (scikit-learn's positive=True).
        const shrunk = z > t ? z - t : !positive && z < -t ? z + t : 0;
        const updated = shrunk / (nj / n + levels.l2);
        if (updated !== old) {
          const delta = updated - old;
          for (let i = 0; i < n; i++)
            r[rc + i] = (r[rc + i] as number) - delta * (x.data[base + i] as number);
          w[j * k + c] = updated;
        }
      }
    }
    if (epoch % gapEvery === 0 || epoch === maxIterations) {
      const done = recordGap(problem, { w, intercept }, epoch, tol * scale, history, started);
      if (done !== undefined) return done;
    }
  }
  return finalResult(problem, { w, intercept }, tol * scale, history);
}

/**
 * Block coordinate descent for squared loss with a group penalty (group lasso, multi-task L2,1):
 * one block gradient step per group with its own Lipschitz constant L_g = ‖X_g‖²_F/n (exact
 * minimization for single-feature groups, i.e. the multi-task lasso), then the block soft
 * threshold. Stops on the duality gap like {@link coordinateDescent}.
 */
export function blockCoordinateDescent(
  problem: SparseProblem,
  options: SolveOptions & { gapEvery?: number } = {},
): SolveResult {
  const { x, y, k, penalty } = problem;
  if (problem.datafit.name !== 'squared')
    throw new SpredInputError(
      `solver 'cd' handles squared loss only; use 'fista' or 'spred' for ${problem.datafit.name}`,
    );
  if (!penalty.convex)
    throw new SpredInputError(`solver 'cd' needs a convex penalty, got ${penalty.name}`);
  const n = x.rows;
  const d = x.cols;
  const tol = options.tol ?? 1e-6;
  const maxIterations = options.maxIterations ?? 10_000;
  const gapEvery = options.gapEvery ?? 5;
  const scale = zeroObjective(problem);
  const { unitOf, count } = penalty.units(d);
  const members: number[][] = Array.from({ length: count }, () => []);
  unitOf.forEach((g, j) => members[g]!.push(j));
  const norms = columnSquaredNorms(x);
  const lipschitz = members.map((m) => m.reduce((s, j) => s + (norms[j] as number), 0) / n);
  const w = Float64Array.from(options.warmStart?.w ?? new Float64Array(d * k));
  const intercept = new Float64Array(k);
  const r = residual(x, y, w, k);
  const started = performance.now();
  const history: SolverRecord[] = [];
  const levels = penalty.unitLevels(d);
  for (let epoch = 1; epoch <= maxIterations; epoch++) {
    if (options.signal?.aborted === true) break;
    for (let g = 0; g < count; g++) {
      const L = lipschitz[g] as number;
      if (L === 0) continue;
      const feats = members[g]!;
      const block = feats.flatMap((j) =>
        Array.from({ length: k }, (_, c) => {
          let dot = 0;
          for (let i = 0; i < n; i++)
            dot += (x.data[j * n + i] as number) * (r[c * n + i] as number);
          return (w[j * k + c] as number) + dot / n / L;
        }),
      );
      const norm = Math.hypot(...block);
      const t = (levels[g] as number) / L;
      const factor = norm > t ? 1 - t / norm : 0;
      feats.forEach((j, q) => {
        for (let c = 0; c < k; c++) {
          const updated = (block[q * k + c] as number) * factor;
          const delta = updated - (w[j * k + c] as number);
          if (delta !== 0) {
            for (let i = 0; i < n; i++)
              r[c * n + i] = (r[c * n + i] as number) - delta * (x.data[j * n + i] as number);
            w[j * k + c] = updated;
          }
        }
      });
    }
    if (epoch % gapEvery === 0 || epoch === maxIterations) {
      const done = recordGap(problem, { w, intercept }, epoch, tol * scale, history, started);
      if (done !== undefined) return done;
    }
  }
  return finalResult(problem, { w, intercept }, tol * scale, history);
}
