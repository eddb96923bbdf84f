import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { listenForInterrupt } from '../interrupt.js';
import { CliInputError } from '../io/cli-input-error.js';
import { parseNumberOption, parsePositiveInteger } from '../options.js';
import { pathChart } from '../figures/charts.js';
import { writeVegaLiteSvg } from '../figures/render-svg.js';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import { startProvenance } from '../output/provenance.js';
import { addSparseFitOptions, type SparseFitFlags } from './sparse-fit-options.js';

/** `spred path`: a regularization path, written as path.tsv and coefs.tsv; Ctrl-C keeps what is done. */
export function registerPath(program: Command, io: CliIO): void {
  addSparseFitOptions(
    program
      .command('path')
      .description('solve over a grid of α from α_max down with warm starts (regression)')
      .option('--n-alphas <k>', 'grid size', parsePositiveInteger, 50)
      .option('--eps <e>', 'smallest α as a fraction of α_max', parseNumberOption, 1e-3),
  ).action(async (flags: SparseFitFlags & { nAlphas: number; eps: number }) => {
    // The linear solvers compute in float64 without tfjs: no backend to start.
    const [{ lassoPath }, { loadProblem, layoutLines }, { default: cliProgress }] =
      await Promise.all([
        import('@spredjs/solvers/linear'),
        import('./load-problem.js'),
        import('cli-progress'),
      ]);
    if (flags.task !== 'regression')
      throw new CliInputError('spred path supports --task regression');
    if (!(flags.eps > 0 && flags.eps < 1))
      throw new CliInputError(`--eps must be in (0, 1), got ${flags.eps}`);
    const out = prepareOutputFolder(flags.out);
    const provenance = startProvenance({ x: flags.x, y: flags.y, groups: flags.groups });
    const problem = loadProblem(flags);
    for (const line of layoutLines(flags, problem)) io.err(line);
    for (const line of problem.warnings) io.err(`warning: ${line}`);
    const targets = problem.targets as number[][];
    const k = targets[0]?.length ?? 1;
    const interrupt = listenForInterrupt(
      io,
      'interrupted: finishing the current α, then writing the path so far',
    );
    const bar = new cliProgress.SingleBar(
      { format: 'path [{bar}] {value}/{total} α', stream: process.stderr, noTTYOutput: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(flags.nAlphas, 0);
    let path;
    try {
      path = lassoPath(problem.x, k === 1 ? targets.map((r) => r[0] as number) : targets, {
        nAlphas: flags.nAlphas,
        eps: flags.eps,
        penalty: k > 1 ? 'rows' : flags.penalty,
        l1Ratio: flags.l1Ratio,
        ...(problem.groups === undefined ? {} : { groups: problem.groups }),
        solver: flags.solver,
        tol: flags.tol,
        fitIntercept: flags.intercept,
        standardize: flags.standardize === true,
        ...(flags.maxIter === undefined ? {} : { maxIter: flags.maxIter }),
        signal: interrupt.signal,
        onAlpha: (i) => bar.update(i),
      });
    } finally {
      bar.stop();
      interrupt.release();
    }
    const summary = [
      'alpha\tnnz\tobjective\tgap\tconverged\titerations\tseconds',
      ...path.alphas.map((a, i) =>
        [
          a,
          path.nnz[i],
          path.objectives[i],
          path.gaps[i],
          path.converged[i],
          path.iterations[i],
          path.seconds[i],
        ].join('\t'),
      ),
    ];
    writeAtomic(out, 'path.tsv', `${summary.join('\n')}\n`);
    const names = problem.featureNames.flatMap((f) =>
      k === 1 ? [f] : Array.from({ length: k }, (_, c) => `${f}:${c}`),
    );
    const coefs = [
      ['alpha', ...names].join('\t'),
      ...path.alphas.map((a, i) => [a, ...(path.coefs[i] as number[])].join('\t')),
    ];
    writeAtomic(out, 'coefs.tsv', `${coefs.join('\n')}\n`);
    const result = {
      alphaMax: path.alphaMax,
      solver: flags.solver,
      n: problem.x.rows,
      d: problem.x.cols,
      complete: path.alphas.length === flags.nAlphas,
      alphas: path.alphas,
      nnz: path.nnz,
      gaps: path.gaps,
      seconds: path.seconds.reduce((a, b) => a + b, 0),
      tol: flags.tol,
      backend: 'none (float64, no tfjs)',
      layout: problem.layout,
      ...(await provenance.read()),
    };
    writeAtomic(out, 'result.json', `${JSON.stringify(result, null, 2)}\n`);
    if (k === 1 && path.alphas.length > 1)
      await writeVegaLiteSvg(join(out, 'path.svg'), pathChart(path.alphas, path.coefs, names));
    io.out(
      `path over ${path.alphas.length}${result.complete ? '' : ` of ${flags.nAlphas} (interrupted)`} α from ${path.alphaMax.toPrecision(4)}: support ${path.nnz[0]} → ${path.nnz.at(-1)}, ${result.seconds.toFixed(2)} s`,
    );
    io.out(
      `wrote ${join(out, 'path.tsv')}, coefs.tsv, result.json${k === 1 ? ' and path.svg' : ''}`,
    );
    if (!result.complete) process.exitCode = 130;
  });
}
