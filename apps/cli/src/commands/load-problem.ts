import type { RowMajor } from '@spred/solvers';
import { CliInputError } from '../io/cli-input-error.js';
import { readLabels, readMatrix } from '../io/read-matrix.js';
import type { SparseFitFlags } from './sparse-fit-options.js';

/** X, y and feature names as the solvers want them, read from the files the flags name. */
export interface LoadedProblem {
  readonly x: RowMajor;
  readonly featureNames: readonly string[];
  /** Regression: n rows of k targets (row-major, as the estimators take rows). */
  readonly targets?: number[][];
  readonly targetNames?: readonly string[];
  /** Logistic: one label per sample. */
  readonly labels?: string[];
  readonly groups?: number[];
}

export function loadProblem(flags: SparseFitFlags): LoadedProblem {
  const x = readMatrix(flags.x, flags.header, 'by-solver');
  const base = {
    x: { rows: x.rows, cols: x.cols, values: x.values, source: flags.x },
    featureNames: x.columnNames,
  };
  const groups = flags.groups === undefined ? undefined : readGroups(flags.groups, x.cols);
  if (flags.penalty === 'group' && groups === undefined)
    throw new CliInputError('--penalty group needs --groups FILE');
  const withGroups = groups === undefined ? {} : { groups };
  if (flags.task === 'logistic')
    return { ...base, ...withGroups, labels: readLabels(flags.y, x.rows) };
  const y = readMatrix(flags.y, flags.header);
  if (y.rows !== x.rows)
    throw new CliInputError(`${flags.x} has ${x.rows} rows but ${flags.y} has ${y.rows}`);
  const targets = Array.from({ length: y.rows }, (_, i) =>
    Array.from(y.values.subarray(i * y.cols, (i + 1) * y.cols)),
  );
  return { ...base, ...withGroups, targets, targetNames: y.columnNames };
}

function readGroups(path: string, features: number): number[] {
  const m = readMatrix(path, 'auto');
  const ids = Array.from(m.values);
  if (ids.length !== features)
    throw new CliInputError(`${path}: ${ids.length} group ids but X has ${features} features`);
  ids.forEach((g, j) => {
    if (!Number.isInteger(g) || g < 0)
      throw new CliInputError(
        `${path}: group id of feature ${j} must be a non-negative integer, got ${g}`,
      );
  });
  return ids;
}
