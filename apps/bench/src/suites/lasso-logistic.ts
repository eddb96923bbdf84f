import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labeledData } from '@spredjs/genomics';
import { climbLadders } from '../harness/accuracy-ladder.js';
import type { CaseResult, SuiteContext } from '../harness/suite.js';
import { writeMatrixNpy } from '../io/npy.js';
import { liblinearLogistic } from '../peers/external-peers.js';
import { spredLasso } from '../peers/spred-cli.js';
import { logisticDatafit } from '../problems/datafit.js';
import { ALL_DIR, ALON_DIR, readExpressionFolder } from '../problems/datasets.js';
import { dualityGap } from '../problems/duality-gap.js';
import {
  standardizedBinaryTask,
  type ClassificationData,
} from '../problems/expression-problems.js';
import { supportF1 } from '../problems/sparse-gaussian.js';
import { logisticAlphaMax, logisticReference } from '../reference/logistic-reference.js';
import { caseRows, referenceRow, withScratch, type Target } from './lasso-cases.js';

/** Objective within this relative distance of the reference's to pass. */
const REL_OBJECTIVE = 1e-6;
const ALPHA_RATIO = 0.1;

function tasks(context: SuiteContext): { name: string; load: () => ClassificationData }[] {
  const alon = {
    name: 'alon tumor vs normal',
    load: () => {
      const set = readExpressionFolder(ALON_DIR);
      if (set === undefined) throw new Error(`the bundled Alon set is missing from ${ALON_DIR}`);
      return standardizedBinaryTask(labeledData(set, 'class'));
    },
  };
  if (context.quick) return [alon];
  const all = readExpressionFolder(ALL_DIR);
  if (all === undefined) {
    context.log(`lasso logistic: ${ALL_DIR} is absent; Alon only`);
    return [alon];
  }
  return [
    {
      name: 'ALL BCR/ABL vs NEG',
      load: () =>
        standardizedBinaryTask(labeledData(all, 'mol.biol', { classes: ['BCR/ABL', 'NEG'] })),
    },
    alon,
  ];
}

/**
 * Part (c) of the `lasso` suite: sparse logistic regression without intercept on standardized
 * gene expression (ALL BCR/ABL vs NEG, 111 × 12,625; Alon, 62 × 2,000) at α = 0.1·α_max:
 * `spred lasso --task logistic` against scikit-learn's liblinear (C = 1/(nα)), both whole
 * processes reading the same standardized X.npy and labels, scored by the float64 objective
 * against a certified reference.
 *
 * @example
 * ```ts
 * const { cases, targets } = logisticOnGenes({ quick: true, log: console.error }); // Alon only
 * ```
 */
export function logisticOnGenes(context: SuiteContext): { cases: CaseResult[]; targets: Target[] } {
  const cases: CaseResult[] = [];
  const targets: Target[] = [];
  for (const task of tasks(context)) {
    const data = task.load();
    const { rows: n, cols: d } = data.x;
    const log = (line: string) => context.log(`lasso logistic ${task.name} ${n}×${d}: ${line}`);
    const alpha = ALPHA_RATIO * logisticAlphaMax(data.x, data.labels);
    const reference = logisticReference(data.x, data.labels, alpha);
    const optimum = reference.certificate.primal;
    log(
      `reference ${reference.method}, gap/P(0) ${(reference.certificate.gap / reference.objectiveAtZero).toExponential(1)}, ${reference.seconds.toFixed(1)} s`,
    );
    const datafit = logisticDatafit(data.labels);
    const score = (coef: Float64Array) => {
      const certificate = dualityGap(data.x, datafit, coef, alpha);
      return {
        relGap: (certificate.primal - optimum) / optimum,
        gapOverP0: certificate.gap / reference.objectiveAtZero,
        supportF1: supportF1(coef, reference.coef),
        nnz: coef.reduce((s, w) => s + (w !== 0 ? 1 : 0), 0),
      };
    };
    withScratch('logistic', (dir) => {
      // The CLI reads class labels from text; 1 is classes[1], the class whose log-odds w models.
      const files = { x: join(dir, 'X.npy'), y: join(dir, 'y.tsv') };
      writeMatrixNpy(files.x, data.x);
      writeFileSync(files.y, `${Array.from(data.labels, String).join('\n')}\n`);
      const workDir = join(dir, 'runs');
      mkdirSync(workDir);
      const outcomes = climbLadders(
        [
          spredLasso(files, alpha, { task: 'logistic', settings: [1e-8] }),
          liblinearLogistic(files, alpha, [1e-8, 1e-10, 1e-12]),
        ],
        {
          workDir,
          repeats: context.quick ? 1 : 3,
          timeoutSeconds: context.quick ? 60 : 600,
          passes: (coef) => score(coef).relGap <= REL_OBJECTIVE,
          log,
        },
      );
      const label = {
        part: 'logistic',
        problem: `${task.name} (${data.classes[1]} = 1)`,
        n,
        d,
        alpha: `${ALPHA_RATIO}·α_max`,
      } as const;
      cases.push(referenceRow(label, reference), ...caseRows(label, outcomes, score));
      const spred = outcomes.find((o) => o.solver === 'spred');
      const liblinear = outcomes.find((o) => o.solver === 'liblinear');
      const name = `logistic ${task.name}: spred objective within ${REL_OBJECTIVE.toExponential()} of liblinear's (or lower), whole-process time ≤ liblinear's`;
      if (spred?.answer === undefined || liblinear?.answer === undefined)
        targets.push({
          name,
          met: false,
          detail: [spred, liblinear]
            .map((o, i) =>
              o === undefined
                ? `${i === 0 ? 'spred' : 'liblinear'} was not measured (not installed?)`
                : o.answer === undefined
                  ? `${o.solver} did not finish within ${o.seconds} s`
                  : '',
            )
            .filter((t) => t !== '')
            .join('; '),
        });
      else {
        const ps = score(spred.answer).relGap;
        const pl = score(liblinear.answer).relGap;
        // Both relative to P(w*): (P_spred − P_liblinear) / P_liblinear from the two relGaps.
        const versus = (ps - pl) / (1 + pl);
        targets.push({
          name,
          met: versus <= REL_OBJECTIVE && spred.seconds <= liblinear.seconds,
          detail: `objective vs liblinear ${versus.toExponential(1)} (relGap spred ${ps.toExponential(1)}, liblinear ${pl.toExponential(1)} at tol ${liblinear.setting.toExponential()}); ${spred.seconds.toFixed(2)} s vs ${liblinear.seconds.toFixed(2)} s`,
        });
      }
    });
    if (!reference.certified)
      targets.push({
        name: `logistic ${task.name}: reference certified (gap ≤ 1e-13·P(0))`,
        met: false,
        detail: `${reference.method}: gap/P(0) ${(reference.certificate.gap / reference.objectiveAtZero).toExponential(2)}`,
      });
  }
  return { cases, targets };
}
