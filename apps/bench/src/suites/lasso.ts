import { renderVegaLiteSvg } from '../figures/render-svg.js';
import { timeVsSizeChart } from '../figures/time-vs-size.js';
import type { BenchSuite } from '../harness/suite.js';
import { logisticOnGenes } from './lasso-logistic.js';
import { pathOnRealData } from './lasso-path.js';
import { plantedLasso } from './lasso-planted.js';
import { tensorLasso } from './lasso-tensor.js';

/**
 * Suite `lasso`: an honest whole-process benchmark of `spred lasso` / `spred path` against
 * scikit-learn and glmnet (each optional: skipped when not installed). Every solver is a fresh
 * process reading the same `.npy` files, timed from the outside (median of repeats), at the
 * loosest of its own tol/thresh settings whose answer passes the case's accuracy check; answers
 * are scored against an independent float64 reference (exact CD then an exact KKT solve on its
 * support, certified by its duality gap), never against the best answer of the case.
 *
 * (a) planted Gaussian lasso problems, 200×1,000 to 1,000×100,000, at 0.1 and 0.01·α_max;
 * (b) a 100-α path with intercept on ALL (first probe on the other 12,624);
 * (c) L1 logistic regression without intercept on ALL BCR/ABL vs NEG and Alon;
 * (tensor) a fixed number of spred L-BFGS iterations on tfjs tensors of the active backend
 * (200×10,000 quick; 500×10,000 and 1,000×100,000), for comparing backends.
 * Writes lasso.json and lasso-time-vs-size.svg (time against n·d, one panel per α).
 */
export const lassoSuite: BenchSuite = {
  name: 'lasso',
  description:
    'whole processes: spred lasso/path vs scikit-learn and glmnet to one accuracy target, scored against a certified float64 reference',
  async run(context) {
    const known = ['planted', 'path', 'logistic', 'tensor'];
    const unknown = context.parts?.filter((part) => !known.includes(part)) ?? [];
    if (unknown.length > 0)
      throw new Error(`lasso has no part ${unknown.join(', ')}: expected ${known.join(', ')}`);
    const runs = (part: string) => context.parts === undefined || context.parts.includes(part);
    const none = { cases: [], targets: [], points: [] };
    const planted = runs('planted') ? plantedLasso(context) : none;
    const path = runs('path') ? pathOnRealData(context) : none;
    const logistic = runs('logistic') ? logisticOnGenes(context) : none;
    const tensor = runs('tensor') ? await tensorLasso(context) : none;
    return {
      cases: [...planted.cases, ...path.cases, ...logistic.cases, ...tensor.cases],
      columns: [
        'part',
        'problem',
        'alpha',
        'solver',
        'setting',
        'seconds',
        'msPerIteration',
        'spredTimeRatio',
        'relGap',
        'gapOverP0',
        'supportF1',
        'nnz',
        'passed',
      ],
      targets: [...planted.targets, ...path.targets, ...logistic.targets, ...tensor.targets],
      figures: [
        {
          file: 'lasso-time-vs-size.svg',
          svg: await renderVegaLiteSvg(timeVsSizeChart(planted.points)),
        },
      ],
    };
  },
};
