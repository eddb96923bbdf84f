import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { alphaMax } from '@spredjs/solvers';
import { climbLadders } from '../harness/accuracy-ladder.js';
import type { CaseResult, SuiteContext } from '../harness/suite.js';
import type { TimePoint } from '../figures/time-vs-size.js';
import { writeMatrixNpy, writeVectorNpy } from '../io/npy.js';
import { glmnetLasso, sklearnLasso } from '../peers/external-peers.js';
import { spredLasso } from '../peers/spred-cli.js';
import { lassoDualityGap } from '../problems/lasso-objective.js';
import { sparseGaussianProblem, supportF1 } from '../problems/sparse-gaussian.js';
import { lassoReference } from '../reference/lasso-reference.js';
import { caseRows, referenceRow, timeTarget, withScratch, type Target } from './lasso-cases.js';

/** The accuracy every solver's answer must reach: relGap ≤ 1e-6 and the reference's support. */
const REL_GAP = 1e-6;
/** spred/sklearn whole-process time each α must beat. */
const TIME_RATIO: Readonly<Record<number, number>> = { 0.1: 0.5, 0.01: 1 };

/**
 * Part (a) of the `lasso` suite: planted Gaussian problems (20 true nonzeros ±1, noise 1, seed 7),
 * at α = 0.1 and 0.01 × α_max, no intercept. X.npy and y.npy are written once per size; `spred
 * lasso`, scikit-learn's Lasso and glmnet each run as a whole process on them, and each answer is
 * scored against the certified float64 reference of the case.
 *
 * @example
 * ```ts
 * const { cases, targets, points } = plantedLasso({ quick: true, log: console.error });
 * ```
 */
export function plantedLasso(context: SuiteContext): {
  cases: CaseResult[];
  targets: Target[];
  points: TimePoint[];
} {
  const sizes: [number, number][] = context.quick
    ? [[200, 1000]]
    : [
        [200, 1000],
        [500, 10_000],
        [1000, 100_000],
      ];
  const cases: CaseResult[] = [];
  const targets: Target[] = [];
  const points: TimePoint[] = [];
  for (const [n, d] of sizes) {
    const repeats = context.quick ? 1 : n * d >= 1e8 ? 2 : 3;
    const log = (line: string) => context.log(`lasso planted ${n}×${d}: ${line}`);
    log('generating (seed 7) and writing X.npy, y.npy');
    const problem = sparseGaussianProblem(n, d, 20, 1, 7);
    withScratch('planted', (dir) => {
      const files = { x: join(dir, 'X.npy'), y: join(dir, 'y.npy') };
      writeMatrixNpy(files.x, problem.x);
      writeVectorNpy(files.y, problem.y);
      const top = alphaMax(problem.x, problem.y, { fitIntercept: false });
      for (const ratio of [0.1, 0.01]) {
        const alpha = ratio * top;
        const label = `${ratio}·α_max`;
        const reference = lassoReference(problem.x, problem.y, alpha);
        const optimum = reference.certificate.primal;
        log(
          `${label}: reference ${reference.method}, gap/P(0) ${(reference.certificate.gap / reference.objectiveAtZero).toExponential(1)}, ${reference.seconds.toFixed(1)} s`,
        );
        const score = (coef: Float64Array) => {
          const certificate = lassoDualityGap(problem.x, problem.y, coef, alpha);
          return {
            relGap: (certificate.primal - optimum) / optimum,
            gapOverP0: certificate.gap / reference.objectiveAtZero,
            supportF1: supportF1(coef, reference.coef),
            nnz: coef.reduce((s, w) => s + (w !== 0 ? 1 : 0), 0),
          };
        };
        const accurate = (coef: Float64Array) => {
          const s = score(coef);
          return {
            ok: s.relGap <= REL_GAP && s.supportF1 === 1,
            detail: `spred relGap ${s.relGap.toExponential(1)}, F1 ${s.supportF1.toFixed(3)}`,
          };
        };
        const workDir = join(dir, `alpha-${ratio}`);
        mkdirSync(workDir);
        const outcomes = climbLadders(
          [
            spredLasso(files, alpha, { task: 'regression', settings: [1e-8] }),
            sklearnLasso(files, alpha, [1e-8, 1e-10, 1e-12]),
            glmnetLasso(files, alpha, [1e-8, 1e-10, 1e-12, 1e-14]),
          ],
          {
            workDir,
            repeats,
            timeoutSeconds: context.quick ? 120 : 1800,
            passes: (coef) => accurate(coef).ok,
            log: (l) => log(`${label}: ${l}`),
          },
        );
        const row = { part: 'planted', problem: `gaussian ${n}×${d}`, n, d, alpha: label } as const;
        cases.push(referenceRow(row, reference), ...caseRows(row, outcomes, score));
        for (const o of outcomes)
          points.push({ entries: n * d, seconds: o.seconds, solver: o.solver, alpha: label });
        targets.push(
          timeTarget(
            `planted ${n}×${d} at ${label}`,
            outcomes,
            'sklearn',
            TIME_RATIO[ratio] as number,
            accurate,
          ),
        );
        if (!reference.certified)
          targets.push({
            name: `planted ${n}×${d} at ${label}: reference certified (gap ≤ 1e-13·P(0))`,
            met: false,
            detail: `${reference.method}: gap/P(0) ${(reference.certificate.gap / reference.objectiveAtZero).toExponential(2)}`,
          });
      }
    });
  }
  return { cases, targets, points };
}
