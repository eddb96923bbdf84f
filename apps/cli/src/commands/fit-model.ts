import {
  ElasticNet,
  GroupLasso,
  Lasso,
  MultiTaskLasso,
  SparseLogisticRegression,
} from '@spredjs/solvers/linear';
import { CliInputError } from '../io/cli-input-error.js';
import type { LoadedProblem } from './load-problem.js';
import type { SparseFitFlags } from './sparse-fit-options.js';

/** What the CLI reports of any fitted estimator. */
export interface FittedSummary {
  /** d rows of k coefficients. */
  readonly coefMatrix: number[][];
  readonly intercept: number[];
  readonly objective: number;
  readonly dualityGap: number;
  readonly nIter: number;
  readonly converged: boolean;
  readonly threshold: number;
  readonly seconds: number;
  readonly nnz: number;
  readonly outputNames: readonly string[];
  readonly estimator: string;
}

/** Chooses the estimator the flags describe and fits it at `alpha`. */
export function fitModel(
  flags: SparseFitFlags,
  problem: LoadedProblem,
  alpha: number,
): FittedSummary {
  const common = {
    alpha,
    solver: flags.solver,
    fitIntercept: flags.intercept,
    standardize: flags.standardize === true,
    tol: flags.tol,
    ...(flags.maxIter === undefined ? {} : { maxIter: flags.maxIter }),
  };
  if (flags.task === 'logistic') {
    if (flags.penalty === 'elasticnet')
      throw new CliInputError('--task logistic supports --penalty l1 or group');
    if (flags.solver === 'cd')
      throw new CliInputError('--solver cd handles --task regression only; use spred or fista');
    const model = new SparseLogisticRegression({
      ...common,
      solver: flags.solver,
      penalty: flags.penalty,
      ...(problem.groups === undefined ? {} : { groups: problem.groups }),
    });
    model.fit(problem.x, problem.labels as string[]);
    const outputNames =
      model.classes.length === 2 ? [String(model.classes[1])] : model.classes.map(String);
    return {
      ...summaryOf(model),
      intercept: model.intercept,
      outputNames,
      estimator: 'SparseLogisticRegression',
    };
  }
  const targets = problem.targets as number[][];
  const k = targets[0]?.length ?? 0;
  const y = k === 1 ? targets.map((r) => r[0] as number) : targets;
  const outputNames = k === 1 ? ['coef'] : (problem.targetNames ?? []).map((n) => `coef_${n}`);
  if (k > 1) {
    if (flags.penalty !== 'l1')
      throw new CliInputError(
        `y has ${k} columns: the multi-task lasso (rows of W) is the only multi-output penalty`,
      );
    const model = new MultiTaskLasso(common).fit(problem.x, y);
    return {
      ...summaryOf(model),
      intercept: model.interceptVector,
      outputNames,
      estimator: 'MultiTaskLasso',
    };
  }
  const model =
    flags.penalty === 'group'
      ? new GroupLasso({ ...common, groups: problem.groups as number[] })
      : flags.penalty === 'elasticnet'
        ? new ElasticNet({ ...common, l1Ratio: flags.l1Ratio })
        : new Lasso(common);
  model.fit(problem.x, y);
  return {
    ...summaryOf(model),
    intercept: model.interceptVector,
    outputNames,
    estimator: model.constructor.name,
  };
}

function summaryOf(model: {
  coefMatrix: number[][];
  objective: number;
  dualityGap: number;
  nIter: number;
  converged: boolean;
  threshold: number;
  seconds: number;
  nnz: number;
}) {
  const { coefMatrix, objective, dualityGap, nIter, converged, threshold, seconds, nnz } = model;
  return { coefMatrix, objective, dualityGap, nIter, converged, threshold, seconds, nnz };
}
