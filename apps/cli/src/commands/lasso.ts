import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { CliInputError } from '../io/cli-input-error.js';
import { parseNumberOption } from '../options.js';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import { startProvenance } from '../output/provenance.js';
import { addSparseFitOptions, type SparseFitFlags } from './sparse-fit-options.js';

/** `spred lasso`: fit one sparse linear model and write coef.tsv and result.json. */
export function registerLasso(program: Command, io: CliIO): void {
  addSparseFitOptions(
    program
      .command('lasso')
      .description('fit a lasso / elastic net / group lasso / sparse logistic regression at one α')
      .option('--alpha <a>', 'penalty level α', parseNumberOption)
      .option('--alpha-ratio <r>', 'α as a fraction of α_max (regression)', parseNumberOption),
  ).action(async (flags: SparseFitFlags & { alpha?: number; alphaRatio?: number }) => {
    // The linear solvers compute in float64 without tfjs: no backend to start.
    const [{ alphaMax, checkAlpha }, { fitModel }, { loadProblem, layoutLines }] =
      await Promise.all([
        import('@spredjs/solvers/linear'),
        import('./fit-model.js'),
        import('./load-problem.js'),
      ]);
    if ((flags.alpha === undefined) === (flags.alphaRatio === undefined))
      throw new CliInputError('give exactly one of --alpha or --alpha-ratio');
    if (flags.alpha !== undefined) checkAlpha(flags.alpha, '--alpha');
    if (flags.alphaRatio !== undefined) {
      checkAlpha(flags.alphaRatio, '--alpha-ratio');
      if (flags.task !== 'regression')
        throw new CliInputError('--alpha-ratio is for --task regression; give --alpha');
    }
    const out = prepareOutputFolder(flags.out);
    const provenance = startProvenance({ x: flags.x, y: flags.y, groups: flags.groups });
    const problem = loadProblem(flags);
    for (const line of layoutLines(flags, problem)) io.err(line);
    let alpha = flags.alpha as number;
    let top: number | undefined;
    if (flags.alphaRatio !== undefined) {
      top = alphaMax(problem.x, problem.targets as number[][], {
        penalty: flags.penalty === 'elasticnet' ? 'elasticnet' : flags.penalty,
        l1Ratio: flags.l1Ratio,
        ...(problem.groups === undefined ? {} : { groups: problem.groups }),
        fitIntercept: flags.intercept,
        standardize: flags.standardize === true,
      });
      alpha = flags.alphaRatio * top;
    }
    const fit = fitModel(flags, problem, alpha);
    const header = ['feature', ...fit.outputNames].join('\t');
    const rows = fit.coefMatrix.map((row, j) =>
      [problem.featureNames[j] ?? `x${j}`, ...row.map(String)].join('\t'),
    );
    writeAtomic(out, 'coef.tsv', `${[header, ...rows].join('\n')}\n`);
    const result = {
      estimator: fit.estimator,
      solver: flags.solver,
      backend: 'none (float64, no tfjs)',
      alpha,
      ...(top === undefined ? {} : { alphaMax: top, alphaRatio: flags.alphaRatio }),
      n: problem.x.rows,
      d: problem.x.cols,
      objective: fit.objective,
      gap: fit.dualityGap,
      converged: fit.converged,
      nnz: fit.nnz,
      iterations: fit.nIter,
      seconds: fit.seconds,
      threshold: fit.threshold,
      intercept: fit.intercept,
      tol: flags.tol,
      layout: problem.layout,
      ...(await provenance.read()),
    };
    writeAtomic(out, 'result.json', `${JSON.stringify(result, null, 2)}\n`);
    io.out(
      `${fit.estimator} (${flags.solver}) on ${problem.x.rows} × ${problem.x.cols}, α = ${alpha.toPrecision(4)}`,
    );
    io.out(
      `objective ${fit.objective.toPrecision(10)}, duality gap ${fit.dualityGap.toExponential(2)} (${fit.converged ? 'converged' : 'NOT converged'}), ${fit.nnz} nonzero features, ${fit.nIter} iterations, ${fit.seconds.toFixed(2)} s`,
    );
    if (fit.threshold > 0) io.out(`exact zeros below |w| ≤ ${fit.threshold.toExponential(2)}`);
    for (const line of problem.warnings) io.err(`warning: ${line}`);
    if (fit.nnz === 0)
      io.err(
        `warning: every coefficient is zero at α = ${alpha.toPrecision(4)}${top === undefined ? '' : ` (α_max = ${top.toPrecision(4)})`}: pick a smaller α${top === undefined ? ' (spred path prints α_max)' : ''}`,
      );
    io.out(`wrote ${join(out, 'coef.tsv')} and result.json`);
  });
}
