import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { climbLadders } from '../harness/accuracy-ladder.js';
import type { CaseResult, SuiteContext } from '../harness/suite.js';
import { writeMatrixNpy, writeVectorNpy } from '../io/npy.js';
import type { PathAnswer } from '../peers/case-files.js';
import { glmnetPath, sklearnLassoPath } from '../peers/external-peers.js';
import { spredPath } from '../peers/spred-cli.js';
import { ALL_DIR, ALON_DIR, readExpressionFolder } from '../problems/datasets.js';
import { correlations } from '../problems/duality-gap.js';
import { firstProbeOnTheRest } from '../problems/expression-problems.js';
import { centered, lassoDualityGap } from '../problems/lasso-objective.js';
import { caseRows, timeTarget, withScratch, type AnswerScore, type Target } from './lasso-cases.js';

const N_ALPHAS = 100;
const EPS = 1e-3;
/** Every point of a path must have duality gap ≤ this × P(0) (centred problem). */
const PATH_GAP = 1e-6;
/** The same ladder of tol / thresh for every solver, loosest first. */
const LADDER = [1e-4, 1e-6, 1e-8, 1e-10, 1e-12];

/**
 * Part (b) of the `lasso` suite: a 100-α regularization path (α_max down to 1e-3·α_max,
 * log-spaced, warm starts, with intercept) of neighbourhood selection on real data — the first
 * ALL probe regressed on the other 12,624 (the bundled Alon set with `--quick`, or when
 * `../shared/data` is absent). `spred path`, scikit-learn's lasso_path and glmnet run as whole
 * processes on the same files and the same α grid; every point of every path must have a float64
 * duality gap ≤ 1e-6·P(0), each solver at the loosest tol/thresh of its ladder that achieves it.
 *
 * @example
 * ```ts
 * const { cases, targets } = pathOnRealData({ quick: false, log: console.error }); // ALL
 * ```
 */
export function pathOnRealData(context: SuiteContext): { cases: CaseResult[]; targets: Target[] } {
  const all = context.quick ? undefined : readExpressionFolder(ALL_DIR);
  if (!context.quick && all === undefined)
    context.log(`lasso path: ${ALL_DIR} is absent; using the bundled Alon set`);
  const set = all ?? readExpressionFolder(ALON_DIR);
  if (set === undefined) throw new Error(`the bundled Alon set is missing from ${ALON_DIR}`);
  const name = all === undefined ? 'alon' : 'ALL';
  const data = firstProbeOnTheRest(set);
  const { rows: n, cols: d } = data.x;
  const log = (line: string) => context.log(`lasso path ${name} ${n}×${d}: ${line}`);
  const c = centered(data.x, data.y);
  let top = 0;
  for (const v of correlations(c.x, c.y)) top = Math.max(top, Math.abs(v) / n);
  const grid = Float64Array.from({ length: N_ALPHAS }, (_, i) => top * EPS ** (i / (N_ALPHAS - 1)));
  const objectiveAtZero = c.y.reduce((s, v) => s + v * v, 0) / (2 * n);
  const scores = new Map<PathAnswer, AnswerScore & { alphaMismatch: number }>();
  const score = (path: PathAnswer) => {
    let known = scores.get(path);
    if (known === undefined) {
      const gaps = path.coefs.map(
        (coef, i) =>
          lassoDualityGap(c.x, c.y, coef, path.alphas[i] as number).gap / objectiveAtZero,
      );
      const last = path.coefs.at(-1);
      known = {
        relGap: null,
        gapOverP0: Math.max(...gaps),
        supportF1: null,
        nnz: last === undefined ? 0 : last.reduce((s, w) => s + (w !== 0 ? 1 : 0), 0),
        pointsPassed: gaps.filter((g) => g <= PATH_GAP).length,
        alphaMismatch: Math.max(
          ...Array.from(path.alphas, (a, i) => Math.abs(a / (grid[i] as number) - 1)),
        ),
      };
      scores.set(path, known);
    }
    return known;
  };
  const passes = (path: PathAnswer) => {
    const s = score(path);
    return (
      path.alphas.length === N_ALPHAS && s.pointsPassed === N_ALPHAS && s.alphaMismatch <= 1e-9
    );
  };
  return withScratch('path', (dir) => {
    log(`first probe ${data.target} on the rest; writing X.npy, y.npy and the α grid`);
    const files = { x: join(dir, 'X.npy'), y: join(dir, 'y.npy'), alphas: join(dir, 'alphas.f64') };
    writeMatrixNpy(files.x, data.x);
    writeVectorNpy(files.y, data.y);
    writeFileSync(files.alphas, new Uint8Array(grid.buffer));
    const outcomes = climbLadders(
      [
        spredPath(files, { nAlphas: N_ALPHAS, eps: EPS, settings: LADDER }),
        sklearnLassoPath(files, LADDER),
        glmnetPath(files, LADDER),
      ],
      {
        workDir: dir,
        repeats: context.quick ? 1 : 3,
        timeoutSeconds: context.quick ? 45 : 900,
        passes,
        log,
      },
    );
    for (const o of outcomes) {
      if (o.answer === undefined) continue;
      const s = score(o.answer);
      log(
        `${o.solver}: ${o.answer.alphas.length} points, ${s.pointsPassed ?? 0} with gap ≤ ${PATH_GAP.toExponential()}·P(0), largest gap/P(0) ${s.gapOverP0.toExponential(1)}, α off the grid by ≤ ${s.alphaMismatch.toExponential(1)}`,
      );
    }
    const label = {
      part: 'path',
      problem: `${name} ${data.target} ~ rest`,
      n,
      d,
      alpha: `${N_ALPHAS} α to ${EPS.toExponential()}·α_max`,
    } as const;
    const accurate = (path: PathAnswer) => {
      const s = score(path);
      return {
        ok: passes(path),
        detail: `spred ${s.pointsPassed ?? 0}/${N_ALPHAS} points with gap ≤ ${PATH_GAP.toExponential()}·P(0)`,
      };
    };
    return {
      cases: caseRows(label, outcomes, score),
      targets: ['glmnet', 'sklearn'].map((peer) =>
        timeTarget(`path ${name} ${n}×${d}`, outcomes, peer, 1, accurate),
      ),
    };
  });
}
