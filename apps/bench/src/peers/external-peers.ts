import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesignMatrix } from '@spred/solvers';

/** One external solver's answer on the same data. */
export interface PeerFit {
  readonly seconds: number;
  readonly coef: number[];
  readonly intercept: number;
}

/** A solver outside this repo, driven through files and a subprocess; optional by nature. */
export interface ExternalPeer {
  readonly name: string;
  /** Why it cannot run here, or undefined when it can. */
  unavailable(): string | undefined;
  fitLasso(x: DesignMatrix, y: Float64Array, alpha: number, tol: number): PeerFit;
}

/** X as a float64 C-order .npy (row-major), the format NumPy reads without copies. */
function writeNpy(path: string, x: DesignMatrix): void {
  const header = `{'descr': '<f8', 'fortran_order': True, 'shape': (${x.rows}, ${x.cols}), }`;
  const padded = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const preamble = Buffer.from([
    0x93,
    ...Buffer.from('NUMPY'),
    1,
    0,
    padded.length & 0xff,
    padded.length >> 8,
  ]);
  writeFileSync(
    path,
    Buffer.concat([
      preamble,
      Buffer.from(padded, 'latin1'),
      Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength),
    ]),
  );
}

function withFiles<T>(x: DesignMatrix, y: Float64Array, run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'spred-peer-'));
  try {
    writeNpy(join(dir, 'X.npy'), x);
    writeFileSync(
      join(dir, 'X.bin'),
      Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength),
    );
    writeFileSync(join(dir, 'y.bin'), Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runJson(command: string, args: string[]): PeerFit {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0)
    throw new Error(
      `${command} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`,
    );
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as PeerFit;
}

function findPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0)
      return python;
  }
  return undefined;
}

/** scikit-learn's `Lasso` (coordinate descent) or `LassoLars`, same scaling as spred's. */
export function sklearnPeer(estimator: 'Lasso' | 'LassoLars'): ExternalPeer {
  let python: string | undefined | null = null;
  const locate = () => (python === null ? (python = findPython()) : python);
  return {
    name: `sklearn-${estimator}`,
    unavailable: () =>
      locate() === undefined
        ? 'python3 cannot import sklearn (apt-get install python3-sklearn)'
        : undefined,
    fitLasso(x, y, alpha, tol) {
      const script = [
        'import json, sys, time, numpy as np',
        `from sklearn.linear_model import ${estimator}`,
        "X = np.load(sys.argv[1]); y = np.fromfile(sys.argv[2], dtype='<f8')",
        `m = ${estimator}(alpha=float(sys.argv[3])${estimator === 'Lasso' ? ', tol=float(sys.argv[4]), max_iter=100000, selection="cyclic"' : ', max_iter=100000'})`,
        't = time.perf_counter(); m.fit(X, y); s = time.perf_counter() - t',
        "print(json.dumps({'seconds': s, 'coef': m.coef_.tolist(), 'intercept': float(m.intercept_)}))",
      ].join('\n');
      return withFiles(x, y, (dir) =>
        runJson(locate() as string, [
          '-c',
          script,
          join(dir, 'X.npy'),
          join(dir, 'y.bin'),
          String(alpha),
          String(tol),
        ]),
      );
    },
  };
}

/** R's glmnet at one λ (= α: glmnet's gaussian objective is (1/2n)RSS + λ‖β‖₁), no standardization. */
export function glmnetPeer(): ExternalPeer {
  let available: boolean | undefined;
  return {
    name: 'glmnet',
    unavailable() {
      available ??=
        spawnSync('Rscript', ['-e', 'library(glmnet)'], { encoding: 'utf8' }).status === 0;
      return available ? undefined : 'Rscript cannot load glmnet (apt-get install r-cran-glmnet)';
    },
    fitLasso(x, y, alpha, tol) {
      const script = [
        'suppressMessages(library(glmnet)); a <- commandArgs(TRUE); n <- as.integer(a[3]); d <- as.integer(a[4])',
        "X <- matrix(readBin(a[1], 'double', n * d), n, d); y <- readBin(a[2], 'double', n)",
        't <- system.time(f <- glmnet(X, y, lambda = as.numeric(a[5]), standardize = FALSE, thresh = as.numeric(a[6])))[["elapsed"]]',
        'b <- as.numeric(coef(f)); cat(sprintf(\'{"seconds": %.6f, "intercept": %.17g, "coef": [%s]}\\n\', t, b[1], paste(sprintf("%.17g", b[-1]), collapse = ",")))',
      ].join('\n');
      return withFiles(x, y, (dir) =>
        runJson('Rscript', [
          '-e',
          script,
          join(dir, 'X.bin'),
          join(dir, 'y.bin'),
          String(x.rows),
          String(x.cols),
          String(alpha),
          String(tol),
        ]),
      );
    },
  };
}

/** scikit-learn's MiniBatchDictionaryLearning on row-major patches; returns atoms (k × d) and seconds per epoch. */
export function sklearnDictionaryLearning(): {
  unavailable(): string | undefined;
  fit(
    patches: Float32Array,
    rows: number,
    cols: number,
    atoms: number,
    alpha: number,
    epochs: number,
    batchSize: number,
  ): { secondsPerEpoch: number; components: number[] };
} {
  const peer = sklearnPeer('Lasso');
  return {
    unavailable: () => peer.unavailable(),
    fit(patches, rows, cols, atoms, alpha, epochs, batchSize) {
      const dir = mkdtempSync(join(tmpdir(), 'spred-peer-'));
      try {
        writeFileSync(
          join(dir, 'p.bin'),
          Buffer.from(patches.buffer, patches.byteOffset, patches.byteLength),
        );
        const script = [
          'import json, sys, time, numpy as np',
          'from sklearn.decomposition import MiniBatchDictionaryLearning',
          "X = np.fromfile(sys.argv[1], dtype='<f4').reshape(int(sys.argv[2]), int(sys.argv[3])).astype(np.float64)",
          'm = MiniBatchDictionaryLearning(n_components=int(sys.argv[4]), alpha=float(sys.argv[5]), max_iter=int(sys.argv[6]), batch_size=int(sys.argv[7]), random_state=0)',
          't = time.perf_counter(); m.fit(X); s = time.perf_counter() - t',
          "print(json.dumps({'secondsPerEpoch': s / int(sys.argv[6]), 'components': m.components_.ravel().tolist()}))",
        ].join('\n');
        const python = ['python3', '/usr/bin/python3'].find(
          (p) => spawnSync(p, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0,
        ) as string;
        const r = spawnSync(
          python,
          [
            '-c',
            script,
            join(dir, 'p.bin'),
            String(rows),
            String(cols),
            String(atoms),
            String(alpha),
            String(epochs),
            String(batchSize),
          ],
          { encoding: 'utf8', maxBuffer: 1 << 30 },
        );
        if (r.status !== 0)
          throw new Error(
            `sklearn failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`,
          );
        return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as {
          secondsPerEpoch: number;
          components: number[];
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
