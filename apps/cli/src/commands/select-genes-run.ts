import { join } from 'node:path';
import cliProgress from 'cli-progress';
import {
  accuracyTable,
  geneTable,
  labeledData,
  majorityRate,
  readExpressionDataset,
  readGdsSoft,
  readSeriesMatrix,
  runSweep,
  type ExpressionSet,
  type MethodName,
} from '@spredjs/genomics';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import { startProvenance } from '../output/provenance.js';
import { listenForInterrupt } from '../interrupt.js';
import { accuracyChart, geneWeightChart } from '../figures/charts.js';
import { writeVegaLiteSvg } from '../figures/render-svg.js';
import { SWEEP_WORKER_URL } from '../sweep-worker-url.js';
import type { GlobalOptions } from '../global-options.js';
import { CliInputError } from '../io/cli-input-error.js';
import type { SelectGenesFlags } from './select-genes.js';

/**
 * The work of `spred select-genes` (its flags are declared and checked in select-genes.ts): reads
 * the expression data, runs the sweep of `methods` over repeated splits (resuming from `--out`),
 * and writes accuracy.tsv, genes.tsv, result.json and the figures.
 *
 * @example
 * ```ts
 * const { runSelectGenes } = await import('./select-genes-run.js');
 * await runSelectGenes(flags, ['spred', 'linear'], command.optsWithGlobals<GlobalOptions>(), io);
 * ```
 */
export async function runSelectGenes(
  flags: SelectGenesFlags,
  methods: readonly MethodName[],
  global: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const set = readInput(flags);
  const data = labeledData(set, flags.label, {
    ...(flags.classes !== undefined ? { classes: flags.classes.split(',') } : {}),
  });
  if (data.samples.length < 2)
    throw new CliInputError(
      `${data.samples.length} sample with label '${flags.label}': a fit needs at least two`,
    );
  const out = prepareOutputFolder(flags.out);
  const provenance = startProvenance({
    soft: flags.soft,
    seriesMatrix: flags.seriesMatrix,
    expression: flags.expression,
    samples: flags.samples,
  });
  const choice = await startBackend(global.backend, io);
  const counts = data.classes.map((c, k) => `${c} ${data.labels.filter((l) => l === k).length}`);
  io.err(
    `${data.samples.length} samples (${counts.join(', ')}) × ${data.features.length} genes; ${flags.repeats} repeats × ${methods.length} methods`,
  );
  const interrupt = listenForInterrupt(
    io,
    'interrupted: writing the finished runs (rerun the same command to resume)',
  );
  const bar = new cliProgress.SingleBar(
    {
      format: 'select-genes [{bar}] {value}/{total} runs | ETA {eta_formatted} {last}',
      stream: process.stderr,
      // A long sweep is often logged to a file: print the bar there too, once a minute.
      noTTYOutput: true,
      notTTYSchedule: 60_000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(flags.repeats * methods.length, 0, { last: '' });
  let sweep;
  try {
    sweep = await runSweep(data, {
      methods,
      repeats: flags.repeats,
      ...(flags.kappas !== undefined
        ? { kappas: flags.kappas }
        : { kappaRatios: flags.kappaRatios }),
      spredPatience: flags.spredPatience,
      selection: flags.selection,
      learningRates: flags.learningRates,
      spredLearningRates: flags.spredLearningRates,
      spredInitScale: flags.spredInitScale,
      hidden: flags.hidden,
      baselineHidden: flags.baselineHidden,
      epochs: flags.epochs,
      patience: flags.patience,
      seed: flags.seed,
      backend: choice.id,
      resultsDir: join(out, 'runs'),
      workerUrl: SWEEP_WORKER_URL,
      signal: interrupt.signal,
      ...(flags.topVariance !== undefined ? { topVariance: flags.topVariance } : {}),
      ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
      onProgress: (p) =>
        bar.update(p.done, {
          last: `${p.run.method} #${p.run.repeat + 1}: ${(100 * p.run.testAccuracy).toFixed(0)}%${p.resumed ? ' (saved)' : ''}`,
        }),
    });
  } finally {
    bar.stop();
    interrupt.release();
  }
  const accuracy = accuracyTable(sweep.runs);
  const genes = geneTable(sweep.runs, data, 'spred');
  const l1Genes = geneTable(sweep.runs, data, 'l1-logistic');
  const hsicGenes = geneTable(sweep.runs, data, 'hsic-lasso');
  const majority = majorityRate(data.labels, sweep.splits);
  writeAtomic(
    out,
    'accuracy.tsv',
    [
      'method\tmean\tsd\trepeats',
      ...accuracy.map((r) => `${r.method}\t${r.mean}\t${r.sd}\t${r.repeats.join(',')}`),
    ].join('\n') + '\n',
  );
  writeAtomic(
    out,
    'genes.tsv',
    [
      'rank\tgene\tweight\tfrequency',
      ...genes.map((g) => `${g.rank}\t${g.gene}\t${g.weight}\t${g.frequency}`),
    ].join('\n') + '\n',
  );
  writeAtomic(
    out,
    'result.json',
    `${JSON.stringify(
      {
        input: flags.soft ??
          flags.seriesMatrix ?? { expression: flags.expression, samples: flags.samples },
        label: flags.label,
        classes: data.classes,
        samples: data.samples.length,
        genes: data.features.length,
        backend: choice.id,
        ...(await provenance.read()),
        complete: sweep.complete,
        majorityRate: majority,
        protocol: sweep.protocol,
        repeats: flags.repeats,
        accuracy,
        selectedGenes: {
          spred: genes.slice(0, 200),
          'l1-logistic': l1Genes.slice(0, 200),
          'hsic-lasso': hsicGenes.slice(0, 200),
        },
        runs: sweep.runs.map((run) => ({
          method: run.method,
          repeat: run.repeat,
          testAccuracy: run.testAccuracy,
          devAccuracy: run.devAccuracy,
          chosen: run.chosen,
          fits: run.fits,
          secondsPerFit: run.secondsPerFit,
          genesKept: run.genes?.length ?? null,
          ...(run.edge !== undefined ? { edge: run.edge } : {}),
        })),
      },
      null,
      2,
    )}\n`,
  );
  if (accuracy.length > 0)
    await writeVegaLiteSvg(join(out, 'accuracy.svg'), accuracyChart(accuracy, majority));
  if (genes.length > 0)
    await writeVegaLiteSvg(
      join(out, 'genes.svg'),
      geneWeightChart(`spred: top ${Math.min(genes.length, 30)} genes`, genes.slice(0, 30)),
    );
  for (const r of accuracy)
    io.out(
      `${r.method.padEnd(12)} ${(100 * r.mean).toFixed(1)}% ± ${(100 * r.sd).toFixed(1)} (${r.repeats.length} repeats, ${r.secondsPerFit.toFixed(2)} s per fit)`,
    );
  io.out(`majority class ${(100 * majority).toFixed(1)}%`);
  for (const method of methods) {
    const runs = sweep.runs.filter((r) => r.method === method && r.genes !== undefined);
    if (runs.length > 0)
      io.out(`${method}: genes kept per repeat ${runs.map((r) => r.genes?.length).join(', ')}`);
    for (const edge of ['densest', 'sparsest'] as const) {
      const count = sweep.runs.filter((r) => r.method === method && r.edge === edge).length;
      if (count === 0) continue;
      const grid =
        method === 'spred'
          ? flags.kappas !== undefined
            ? '--kappas'
            : '--kappa-ratios'
          : 'its grid';
      io.err(
        edge === 'densest'
          ? `warning: ${method} chose the densest end of its grid in ${count} of ${runs.length} repeats: a smaller value might do better (extend ${grid} downwards)`
          : `warning: ${method} chose the sparsest end of its grid in ${count} of ${runs.length} repeats: already within one standard error of the best dev accuracy there`,
      );
    }
  }
  for (const [name, table] of [
    ['spred', genes],
    ['l1-logistic', l1Genes],
  ] as const)
    if (table.length > 0)
      io.out(
        `${name}'s top genes: ${table
          .slice(0, 10)
          .map((g) => `${g.gene} (${(100 * g.frequency).toFixed(0)}%)`)
          .join(', ')}`,
      );
  io.out(`wrote ${join(out, 'accuracy.tsv')}, genes.tsv, result.json and the figures`);
  if (!sweep.complete) process.exitCode = 130;
}

function readInput(flags: SelectGenesFlags): ExpressionSet {
  const table = flags.expression !== undefined || flags.samples !== undefined;
  const given = [flags.soft, flags.seriesMatrix, table ? 'table' : undefined].filter(
    (f) => f !== undefined,
  );
  if (given.length !== 1)
    throw new CliInputError(
      given.length === 0
        ? 'give --soft FILE, --series-matrix FILE, or --expression FILE with --samples FILE'
        : 'give one input: --soft, --series-matrix, or --expression with --samples',
    );
  if (flags.soft !== undefined) return readGdsSoft(flags.soft);
  if (flags.seriesMatrix !== undefined) return readSeriesMatrix(flags.seriesMatrix);
  if (flags.expression === undefined || flags.samples === undefined)
    throw new CliInputError('--expression and --samples go together: give both');
  return readExpressionDataset({
    expression: flags.expression,
    samples: flags.samples,
    orientation: flags.orientation,
  });
}
