import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { LadderSolver } from '../harness/accuracy-ladder.js';
import { readFloat64File, type CaseFiles, type PathAnswer } from './case-files.js';

/**
 * Solvers outside this repo — scikit-learn (Python) and glmnet (R) — driven as whole processes
 * through the same files as `spred`. They are optional peers: each reports why it cannot run
 * (not installed) instead of failing the bench.
 */

let python: string | undefined | null = null;

/** The first Python that imports numpy and scikit-learn (the system one first). */
function findPython(): string | undefined {
  python ??=
    ['/usr/bin/python3', 'python3'].find(
      (p) => spawnSync(p, ['-c', 'import numpy, sklearn'], { encoding: 'utf8' }).status === 0,
    ) ?? undefined;
  return python;
}

function sklearnUnavailable(): string | undefined {
  return findPython() === undefined
    ? 'no python3 imports numpy and sklearn (apt-get install python3-sklearn)'
    : undefined;
}

let glmnet: boolean | undefined;

function glmnetUnavailable(): string | undefined {
  glmnet ??=
    spawnSync('Rscript', ['-e', 'suppressMessages(library(glmnet))'], { encoding: 'utf8' })
      .status === 0;
  return glmnet ? undefined : 'Rscript cannot load glmnet (apt-get install r-cran-glmnet)';
}

function pythonSpec(script: string, args: readonly (string | number)[]) {
  return { command: findPython() as string, args: ['-c', script, ...args.map(String)] };
}

/**
 * `sklearn.linear_model.Lasso(alpha, fit_intercept=False, tol, max_iter=100000)` in a fresh
 * Python process that loads the `.npy` files and writes `coef.f64`. Same objective as spred's,
 * (1/2n)‖y − Xw‖² + α‖w‖₁.
 *
 * @example
 * ```ts
 * const sklearn = sklearnLasso(files, alpha, [1e-8, 1e-10]);
 * ```
 */
export function sklearnLasso(
  files: CaseFiles,
  alpha: number,
  settings: readonly number[],
): LadderSolver<Float64Array> {
  const script = [
    'import sys, numpy as np',
    'from sklearn.linear_model import Lasso',
    'X = np.load(sys.argv[1]); y = np.load(sys.argv[2])',
    'm = Lasso(alpha=float(sys.argv[3]), fit_intercept=False, tol=float(sys.argv[4]), max_iter=100000).fit(X, y)',
    "m.coef_.astype('<f8').tofile(sys.argv[5])",
  ].join('\n');
  return {
    solver: 'sklearn',
    settingName: 'tol',
    settings,
    unavailable: sklearnUnavailable,
    spec: (tol, dir) => pythonSpec(script, [files.x, files.y, alpha, tol, join(dir, 'coef.f64')]),
    read: (dir) => readFloat64File(join(dir, 'coef.f64')),
  };
}

/**
 * `sklearn.linear_model.lasso_path(X, y, alphas, tol, max_iter=100000)` on X and y centred in
 * Python (what `Lasso(fit_intercept=True)` does), over the α grid of `files.alphas`.
 *
 * @example
 * ```ts
 * const sklearn = sklearnLassoPath(files, [1e-4, 1e-6, 1e-8]);
 * ```
 */
export function sklearnLassoPath(
  files: CaseFiles,
  settings: readonly number[],
): LadderSolver<PathAnswer> {
  const script = [
    'import sys, numpy as np',
    'from sklearn.linear_model import lasso_path',
    "X = np.load(sys.argv[1]); y = np.load(sys.argv[2]); alphas = np.fromfile(sys.argv[3], dtype='<f8')",
    'X = X - X.mean(axis=0); y = y - y.mean()',
    'a, coefs, _ = lasso_path(X, y, alphas=alphas, tol=float(sys.argv[4]), max_iter=100000)',
    "a.astype('<f8').tofile(sys.argv[5]); np.ascontiguousarray(coefs.T).astype('<f8').tofile(sys.argv[6])",
  ].join('\n');
  return {
    solver: 'sklearn',
    settingName: 'tol',
    settings,
    unavailable: sklearnUnavailable,
    spec: (tol, dir) =>
      pythonSpec(script, [
        files.x,
        files.y,
        files.alphas as string,
        tol,
        join(dir, 'alphas.f64'),
        join(dir, 'coefs.f64'),
      ]),
    read: (dir) => readPath(dir),
  };
}

/**
 * `LogisticRegression(penalty='l1', C=1/(nα), fit_intercept=False, solver='liblinear', tol,
 * max_iter=100000)`: liblinear minimizes C·Σ log-loss + ‖w‖₁ = nC·[(1/n)Σ log-loss + α‖w‖₁], the
 * same minimizer as spred's objective. Labels are read from the one-per-line file the CLI reads.
 *
 * @example
 * ```ts
 * const liblinear = liblinearLogistic(files, alpha, [1e-8]);
 * ```
 */
export function liblinearLogistic(
  files: CaseFiles,
  alpha: number,
  settings: readonly number[],
): LadderSolver<Float64Array> {
  const script = [
    'import sys, numpy as np',
    'from sklearn.linear_model import LogisticRegression',
    'X = np.load(sys.argv[1]); y = np.loadtxt(sys.argv[2])',
    'C = 1.0 / (X.shape[0] * float(sys.argv[3]))',
    "m = LogisticRegression(penalty='l1', C=C, fit_intercept=False, solver='liblinear', tol=float(sys.argv[4]), max_iter=100000).fit(X, y)",
    "m.coef_.ravel().astype('<f8').tofile(sys.argv[5])",
  ].join('\n');
  return {
    solver: 'liblinear',
    settingName: 'tol',
    settings,
    unavailable: sklearnUnavailable,
    spec: (tol, dir) => pythonSpec(script, [files.x, files.y, alpha, tol, join(dir, 'coef.f64')]),
    read: (dir) => readFloat64File(join(dir, 'coef.f64')),
  };
}

/**
 * R has no `.npy` reader: this one skips the header (its length is the little-endian uint16 at
 * bytes 8–9; data start at 10 + that), reads the float64 payload and, for C order, fills the
 * matrix by rows.
 */
const R_READ_NPY = [
  'readNpy <- function(path) {',
  "  con <- file(path, 'rb'); on.exit(close(con))",
  "  pre <- readBin(con, 'raw', 10); len <- as.integer(pre[9]) + 256L * as.integer(pre[10])",
  "  header <- rawToChar(readBin(con, 'raw', len))",
  "  dims <- as.numeric(strsplit(gsub('[() ]', '', regmatches(header, regexpr('\\\\([0-9, ]*\\\\)', header))), ',')[[1]])",
  "  v <- readBin(con, 'double', prod(dims), size = 8, endian = 'little')",
  "  if (length(dims) == 1) v else matrix(v, dims[1], dims[2], byrow = !grepl('True', header))",
  '}',
].join('\n');

function rSpec(script: string, args: readonly (string | number)[]) {
  return {
    command: 'Rscript',
    args: [
      '-e',
      `suppressMessages(library(glmnet))\n${R_READ_NPY}\na <- commandArgs(TRUE)\n${script}`,
      ...args.map(String),
    ],
  };
}

/**
 * `glmnet(X, y, lambda = α, standardize = FALSE, intercept = FALSE, thresh)` in a fresh R process:
 * glmnet's gaussian objective is (1/2n)RSS + λ‖β‖₁, spred's with λ = α.
 *
 * @example
 * ```ts
 * const r = glmnetLasso(files, alpha, [1e-8, 1e-10, 1e-12, 1e-14]);
 * ```
 */
export function glmnetLasso(
  files: CaseFiles,
  alpha: number,
  settings: readonly number[],
): LadderSolver<Float64Array> {
  const script = [
    'X <- readNpy(a[1]); y <- readNpy(a[2])',
    'f <- glmnet(X, y, lambda = as.numeric(a[3]), standardize = FALSE, intercept = FALSE, thresh = as.numeric(a[4]))',
    "writeBin(as.numeric(coef(f))[-1], a[5], size = 8, endian = 'little')",
  ].join('\n');
  return {
    solver: 'glmnet',
    settingName: 'thresh',
    settings,
    unavailable: glmnetUnavailable,
    spec: (thresh, dir) => rSpec(script, [files.x, files.y, alpha, thresh, join(dir, 'coef.f64')]),
    read: (dir) => readFloat64File(join(dir, 'coef.f64')),
  };
}

/**
 * glmnet over the α grid of `files.alphas`, with intercept, no standardization. Its early stops
 * (fractional deviance change below fdev, deviance ratio above devmax) are switched off so that
 * it solves every α of the grid, as the other solvers do.
 *
 * @example
 * ```ts
 * const r = glmnetPath(files, [1e-4, 1e-6, 1e-8]);
 * ```
 */
export function glmnetPath(
  files: CaseFiles,
  settings: readonly number[],
): LadderSolver<PathAnswer> {
  const script = [
    "X <- readNpy(a[1]); y <- readNpy(a[2]); lambda <- readBin(a[3], 'double', 1e6, size = 8, endian = 'little')",
    'glmnet.control(fdev = 0, devmax = 1)',
    'f <- glmnet(X, y, lambda = lambda, standardize = FALSE, thresh = as.numeric(a[4]))',
    "writeBin(as.numeric(f$lambda), a[5], size = 8, endian = 'little')",
    "writeBin(as.numeric(as.matrix(f$beta)), a[6], size = 8, endian = 'little')",
  ].join('\n');
  return {
    solver: 'glmnet',
    settingName: 'thresh',
    settings,
    unavailable: glmnetUnavailable,
    spec: (thresh, dir) =>
      rSpec(script, [
        files.x,
        files.y,
        files.alphas as string,
        thresh,
        join(dir, 'alphas.f64'),
        join(dir, 'coefs.f64'),
      ]),
    read: (dir) => readPath(dir),
  };
}

/** alphas.f64 and coefs.f64 (one block of d values per α) written by a peer's path script. */
function readPath(dir: string): PathAnswer {
  const alphas = readFloat64File(join(dir, 'alphas.f64'));
  const flat = readFloat64File(join(dir, 'coefs.f64'));
  const d = flat.length / alphas.length;
  return { alphas, coefs: Array.from(alphas, (_, i) => flat.subarray(i * d, (i + 1) * d)) };
}

/** A scikit-learn dictionary at one wall-time budget: what {@link sklearnDictionaryLearning} returns. */
export interface SklearnDictionarySnapshot {
  readonly budget: number;
  /** Seconds of training when it was taken (the first mini-batch boundary past the budget). */
  readonly seconds: number;
  /** Mini-batches seen. */
  readonly steps: number;
  /** k × d, row-major. */
  readonly components: number[];
}

/**
 * scikit-learn's `MiniBatchDictionaryLearning(n_components=k, alpha, fit_algorithm, batch_size,
 * random_state=0)` trained by `partial_fit` on seeded shuffled mini-batches of the patches in
 * `patchesNpy` (n × d) until each wall-time budget in turn is spent; its objective is
 * ½‖x − Dc‖² + α‖c‖₁ per patch, the convention of spred's `DictionaryLearning`. The clock runs
 * from the model's construction and stops while a snapshot is copied. Returns the dictionary at
 * every budget.
 *
 * @example
 * ```ts
 * sklearnDictionaryLearning().fit('/tmp/train.npy', 256, 1, 'lars', [30, 120], 256);
 * ```
 */
export function sklearnDictionaryLearning(): {
  unavailable(): string | undefined;
  fit(
    patchesNpy: string,
    atoms: number,
    alpha: number,
    fitAlgorithm: 'cd' | 'lars',
    budgets: readonly number[],
    batchSize: number,
  ): SklearnDictionarySnapshot[];
} {
  const script = [
    'import json, sys, time, numpy as np',
    'from sklearn.decomposition import MiniBatchDictionaryLearning',
    'X = np.load(sys.argv[1]).astype(np.float64)',
    'k, alpha, algo, bs = int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[6])',
    "budgets = [float(b) for b in sys.argv[5].split(',')]",
    'rng = np.random.RandomState(0)',
    'start = time.perf_counter(); paused = 0.0',
    'm = MiniBatchDictionaryLearning(n_components=k, alpha=alpha, fit_algorithm=algo, batch_size=bs, random_state=0)',
    'order = rng.permutation(len(X)); pos = 0; steps = 0; out = []',
    'while budgets:',
    '    if pos + bs > len(X): order = rng.permutation(len(X)); pos = 0',
    '    m.partial_fit(X[order[pos:pos + bs]]); pos += bs; steps += 1',
    '    spent = time.perf_counter() - start - paused',
    '    while budgets and spent >= budgets[0]:',
    '        t = time.perf_counter()',
    "        out.append({'budget': budgets.pop(0), 'seconds': spent, 'steps': steps, 'components': m.components_.copy()})",
    '        paused += time.perf_counter() - t',
    "for o in out: o['components'] = o['components'].ravel().tolist()",
    'print(json.dumps(out))',
  ].join('\n');
  return {
    unavailable: sklearnUnavailable,
    fit(patchesNpy, atoms, alpha, fitAlgorithm, budgets, batchSize) {
      const spec = pythonSpec(script, [
        patchesNpy,
        atoms,
        alpha,
        fitAlgorithm,
        budgets.join(','),
        batchSize,
      ]);
      const r = spawnSync(spec.command, spec.args, { encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0)
        throw new Error(
          `sklearn failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`,
        );
      return JSON.parse(
        r.stdout.trim().split('\n').at(-1) as string,
      ) as SklearnDictionarySnapshot[];
    },
  };
}
