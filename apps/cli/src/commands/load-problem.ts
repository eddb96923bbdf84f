import { toDesignMatrix, type DesignMatrix } from '@spredjs/solvers/linear';
import { CliInputError } from '../io/cli-input-error.js';
import { readLabels, readMatrix } from '../io/read-matrix.js';
import type { SparseFitFlags } from './sparse-fit-options.js';

/** X, y and feature names as the solvers want them, read from the files the flags name. */
export interface LoadedProblem {
  /** Converted and checked once, so α_max and the fit do not check X again. */
  readonly x: DesignMatrix;
  readonly featureNames: readonly string[];
  /** Regression: n rows of k targets (row-major, as the estimators take rows). */
  readonly targets?: number[][];
  readonly targetNames?: readonly string[];
  /** Logistic: one label per sample. */
  readonly labels?: string[];
  readonly groups?: number[];
  /** Degenerate but valid input, for the command to print (constant features). */
  readonly warnings: readonly string[];
  /** What was decided about each text file's layout, for the log and result.json. */
  readonly layout: Readonly<Record<string, { header: boolean; rowNames: boolean }>>;
}

export function loadProblem(flags: SparseFitFlags): LoadedProblem {
  const x = readMatrix(flags.x, flags.header, 'by-solver', flags.rowNames);
  if (x.rows < 2)
    throw new CliInputError(`${flags.x} has ${x.rows} sample: a fit needs at least two`);
  const constant = constantColumns(x.values, x.rows, x.cols);
  const warnings =
    constant.length === 0
      ? []
      : [
          `${flags.x} has ${constant.length} constant feature${constant.length === 1 ? '' : 's'} (${constant
            .slice(0, 5)
            .map((j) => x.columnNames[j] ?? `x${j}`)
            .join(
              ', ',
            )}${constant.length > 5 ? ', …' : ''})${flags.intercept ? ': beside the intercept they cannot enter the model' : ''}`,
        ];
  const base = {
    x: toDesignMatrix({ rows: x.rows, cols: x.cols, values: x.values, source: flags.x }),
    featureNames: x.columnNames,
    warnings,
    layout: { x: { header: x.header, rowNames: x.rowNames !== undefined } },
  };
  const groups = flags.groups === undefined ? undefined : readGroups(flags.groups, x.cols);
  if (flags.penalty === 'group' && groups === undefined)
    throw new CliInputError('--penalty group needs --groups FILE');
  const withGroups = groups === undefined ? {} : { groups };
  if (flags.task === 'logistic') {
    const labels = readLabels(flags.y, x.rows);
    checkClassLabels(flags.y, labels);
    return { ...base, ...withGroups, labels };
  }
  const y = readMatrix(flags.y, flags.header);
  if (y.rows !== x.rows)
    throw new CliInputError(`${flags.x} has ${x.rows} rows but ${flags.y} has ${y.rows}`);
  const targets = Array.from({ length: y.rows }, (_, i) =>
    Array.from(y.values.subarray(i * y.cols, (i + 1) * y.cols)),
  );
  return {
    ...base,
    ...withGroups,
    targets,
    targetNames: y.columnNames,
    layout: { ...base.layout, y: { header: y.header, rowNames: y.rowNames !== undefined } },
  };
}

/** One log line per text input: what the reader decided about its header and row names. */
export function layoutLines(flags: SparseFitFlags, problem: LoadedProblem): string[] {
  const paths: Record<string, string> = { x: flags.x, y: flags.y };
  return Object.entries(problem.layout)
    .filter(([role]) => !(paths[role] ?? '').endsWith('.npy'))
    .map(
      ([role, l]) =>
        `read ${paths[role]}: header ${l.header ? 'yes' : 'no'}, row names ${l.rowNames ? 'yes' : 'no'}`,
    );
}

/**
 * The columns of a row-major matrix whose values are all equal. Each column is compared down the
 * rows only until it differs, so an ordinary X costs two rows, not a pass.
 */
export function constantColumns(values: ArrayLike<number>, rows: number, cols: number): number[] {
  let candidates = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows && candidates.length > 0; i++)
    candidates = candidates.filter((j) => values[i * cols + j] === values[j]);
  return candidates;
}

/**
 * Refuses labels that look like a continuous y (non-integer numbers, or more than max(20, n/2)
 * distinct values) for a classifier, with a hint: fitting one class per value would "converge".
 */
function checkClassLabels(path: string, labels: readonly string[]): void {
  const distinct = new Set(labels);
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  const fractional = numeric ? labels.find((l) => !Number.isInteger(Number(l))) : undefined;
  const many = distinct.size > Math.max(20, labels.length / 2);
  if (fractional !== undefined || many)
    throw new CliInputError(
      `${path}: the labels look continuous (${distinct.size} distinct values among ${labels.length}${fractional === undefined ? '' : `, e.g. ${fractional}`}): --task logistic needs class labels; use --task regression for a continuous y`,
    );
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
