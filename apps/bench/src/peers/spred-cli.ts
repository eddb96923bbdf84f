import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LadderSolver } from '../harness/accuracy-ladder.js';
import type { CaseFiles, PathAnswer } from './case-files.js';

/** The built `spred` command of this checkout: what a user runs. */
const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));

function unavailable(): string | undefined {
  return existsSync(CLI) ? undefined : `${CLI} is missing: build apps/cli (pnpm build)`;
}

/** Coefficients from `spred lasso`'s coef.tsv (feature, then one column per output). */
function readCoefTsv(path: string): Float64Array {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1);
  return Float64Array.from(lines, (line) => Number(line.split('\t')[1]));
}

/** One row per α of `spred path`'s coefs.tsv: α, then the d coefficients. */
function readPathTsv(path: string): PathAnswer {
  const rows = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1);
  const parsed = rows.map((line) => Float64Array.from(line.split('\t'), Number));
  return {
    alphas: Float64Array.from(parsed, (r) => r[0] as number),
    coefs: parsed.map((r) => r.subarray(1)),
  };
}

/**
 * `spred lasso` as a user runs it (`node apps/cli/dist/main.js lasso --x X.npy --y y.npy --alpha A
 * --tol T --no-intercept --out DIR`), squared loss or `--task logistic`; coefficients read back
 * from DIR/coef.tsv.
 *
 * @example
 * ```ts
 * const spred = spredLasso(files, alpha, { task: 'regression', settings: [1e-8] });
 * ```
 */
export function spredLasso(
  files: CaseFiles,
  alpha: number,
  options: { task: 'regression' | 'logistic'; settings: readonly number[] },
): LadderSolver<Float64Array> {
  return {
    solver: 'spred',
    settingName: 'tol',
    settings: options.settings,
    unavailable,
    spec: (tol, dir) => ({
      command: process.execPath,
      args: [
        CLI,
        'lasso',
        '--x',
        files.x,
        '--y',
        files.y,
        ...(options.task === 'logistic' ? ['--task', 'logistic'] : []),
        '--alpha',
        String(alpha),
        '--tol',
        String(tol),
        '--no-intercept',
        '--out',
        dir,
      ],
    }),
    read: (dir) => readCoefTsv(join(dir, 'coef.tsv')),
  };
}

/**
 * `spred path` as a user runs it (`node apps/cli/dist/main.js path --x X.npy --y y.npy --n-alphas K
 * --eps E --tol T --out DIR`, with intercept); the path read back from DIR/coefs.tsv. The CLI has
 * no flag for an explicit α grid, so its grid is its own α_max·eps^(i/(K−1)) — the one the peers
 * are given.
 *
 * @example
 * ```ts
 * const spred = spredPath(files, { nAlphas: 100, eps: 1e-3, settings: [1e-4, 1e-6] });
 * ```
 */
export function spredPath(
  files: CaseFiles,
  options: { nAlphas: number; eps: number; settings: readonly number[] },
): LadderSolver<PathAnswer> {
  return {
    solver: 'spred',
    settingName: 'tol',
    settings: options.settings,
    unavailable,
    spec: (tol, dir) => ({
      command: process.execPath,
      args: [
        CLI,
        'path',
        '--x',
        files.x,
        '--y',
        files.y,
        '--n-alphas',
        String(options.nAlphas),
        '--eps',
        String(options.eps),
        '--tol',
        String(tol),
        '--out',
        dir,
      ],
    }),
    read: (dir) => readPathTsv(join(dir, 'coefs.tsv')),
  };
}
