import { SpredInputError } from '@spredjs/core';
import {
  logisticPath,
  logisticPathProba,
  toDesignMatrix,
  type DesignMatrix,
  type LogisticPath,
} from '@spredjs/solvers/linear';
import { scoreProbabilities } from '../data/score-probabilities.js';

/** One split's samples for {@link l1LogisticPath}: preprocessed, row-major n × features. */
export interface L1LogisticSamples {
  readonly x: Float32Array;
  /** Class indices 0 … classes − 1, one per row. */
  readonly labels: Int32Array;
}

/** Options of {@link l1LogisticPath}. */
export interface L1LogisticOptions {
  /** Number of α, log-spaced from α_max (no gene) down to `eps`·α_max. Default 10. */
  readonly alphas?: number;
  /** Default 1e-2. */
  readonly eps?: number;
  /** Relative duality gap every point is solved to (the solvers' default 1e-6). */
  readonly tol?: number;
  /** Stops after the α being solved; the points solved so far (at least the first) are kept. */
  readonly signal?: AbortSignal;
}

/** One α of the path, scored as the protocol scores every grid point. */
export interface L1LogisticCandidate {
  readonly chosen: Record<'alpha' | 'alphaRatio', number>;
  readonly devAccuracy: number;
  /** Mean cross-entropy on dev (probabilities clipped at 1e-12, as the networks are scored). */
  readonly devLoss: number;
  readonly testAccuracy: number;
  /** The path's wall time divided evenly over its points: seconds per fitted model. */
  readonly seconds: number;
  /** Columns of X with a nonzero coefficient for any class, largest coefficient row norm first. */
  readonly genes: number[];
  /** Their row norms ‖W_j‖₂ over the largest (1 for the first gene). */
  readonly weights: number[];
}

/**
 * The field's standard gene-selection baseline: L1-penalized logistic regression (binary for two
 * classes, multinomial with an L1 penalty on every coefficient for more), fitted on the training
 * samples along one warm-started path of `alphas` values from α_max down to eps·α_max, each point
 * solved to a duality gap ≤ tol × the objective at W = 0 (`logisticPath` of `@spredjs/solvers`).
 * Every α becomes one candidate, scored on dev (accuracy, then mean cross-entropy, the definitions
 * of `evaluate`) and on test; its genes are the columns it uses.
 *
 * @example
 * ```ts
 * const candidates = l1LogisticPath(train, dev, test, 2, { alphas: 10 });
 * const best = candidates.reduce((a, b) => (b.devAccuracy > a.devAccuracy ? b : a));
 * best.genes; // columns of X, strongest first
 * ```
 */
export function l1LogisticPath(
  train: L1LogisticSamples,
  dev: L1LogisticSamples,
  test: L1LogisticSamples,
  classes: number,
  options: L1LogisticOptions = {},
): L1LogisticCandidate[] {
  const n = train.labels.length;
  if (n === 0 || train.x.length % n !== 0)
    throw new SpredInputError(
      `train has ${train.x.length} values for ${n} labels: expected n × features`,
    );
  const p = train.x.length / n;
  for (const [name, s] of [
    ['dev', dev],
    ['test', test],
  ] as const)
    if (s.x.length !== s.labels.length * p)
      throw new SpredInputError(
        `${name} has ${s.x.length} values for ${s.labels.length} labels: expected ${s.labels.length} × ${p}`,
      );
  // The path checks its signal before each α; this one is raised only once a point is solved,
  // so an interrupted run still has candidates to choose from.
  const stop = new AbortController();
  const started = performance.now();
  const path = logisticPath({ values: train.x, rows: n, cols: p }, Array.from(train.labels), {
    nAlphas: options.alphas ?? 10,
    eps: options.eps ?? 1e-2,
    penalty: 'l1',
    ...(options.tol !== undefined ? { tol: options.tol } : {}),
    signal: stop.signal,
    onAlpha: () => {
      if (options.signal?.aborted === true) stop.abort();
    },
  });
  const seconds = (performance.now() - started) / 1000 / path.alphas.length;
  const designOf = (s: L1LogisticSamples) =>
    s.labels.length === 0
      ? undefined
      : toDesignMatrix({ values: s.x, rows: s.labels.length, cols: p });
  const devDesign = designOf(dev);
  const testDesign = designOf(test);
  return path.alphas.map((alpha, i) => {
    const devScore = score(path, i, devDesign, dev.labels, classes);
    const { genes, weights } = genesOf(path.coefs[i] as number[], p);
    return {
      chosen: { alpha, alphaRatio: alpha / path.alphaMax },
      devAccuracy: devScore.accuracy,
      devLoss: devScore.loss,
      testAccuracy: score(path, i, testDesign, test.labels, classes).accuracy,
      seconds,
      genes,
      weights,
    };
  });
}

/**
 * Accuracy and mean cross-entropy of path point i ({@link scoreProbabilities}, as every method
 * is scored). A class absent from the training samples has probability 0.
 */
function score(
  path: LogisticPath,
  i: number,
  design: DesignMatrix | undefined,
  labels: Int32Array,
  classes: number,
): { accuracy: number; loss: number } {
  if (design === undefined) return { accuracy: 0, loss: 0 };
  const columns = Array.from({ length: classes }, (_, c) => path.classes.indexOf(c));
  const p = logisticPathProba(path, i, design).flatMap((row) =>
    columns.map((col) => (col < 0 ? 0 : (row[col] as number))),
  );
  return scoreProbabilities(p, labels, classes);
}

/** Columns with a nonzero coefficient row (d × k row-major), largest ‖W_j‖₂ first, with norms over the largest. */
function genesOf(coefs: readonly number[], d: number): { genes: number[]; weights: number[] } {
  const k = coefs.length / d;
  const norms = Array.from({ length: d }, (_, j) => Math.hypot(...coefs.slice(j * k, j * k + k)));
  const genes = norms
    .map((norm, j) => ({ norm, j }))
    .filter((g) => g.norm > 0)
    .sort((a, b) => b.norm - a.norm || a.j - b.j);
  const top = genes[0]?.norm ?? 1;
  return { genes: genes.map((g) => g.j), weights: genes.map((g) => g.norm / top) };
}
