import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import {
  accuracyTable,
  geneTable,
  labeledData,
  majorityRate,
  METHODS,
  readExpressionDataset,
  readGdsSoft,
  readSeriesMatrix,
  runSweep,
  type ExpressionSet,
} from '@spred/genomics';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import { listenForInterrupt } from '../interrupt.js';
import { accuracyChart, geneWeightChart } from '../figures/charts.js';
import { writeVegaLiteSvg } from '../figures/render-svg.js';
import type { GlobalOptions } from '../global-options.js';
import { CliInputError } from '../io/cli-input-error.js';
import {
  parseMethodList,
  parseNumberOption,
  parsePositiveInteger,
  parsePositiveNumber,
  parsePositiveIntegerList,
  parsePositiveList,
} from '../options.js';

interface SelectGenesFlags {
  soft?: string;
  seriesMatrix?: string;
  expression?: string;
  samples?: string;
  orientation: 'auto' | 'genes-by-samples' | 'samples-by-genes';
  label: string;
  classes?: string;
  repeats: number;
  methods: string;
  kappas: number[];
  learningRates: number[];
  spredLearningRates: number[];
  spredInitScale: number;
  hidden: number[];
  baselineHidden: number;
  epochs: number;
  patience: number;
  topVariance?: number;
  workers?: number;
  seed: number;
  out: string;
}

/** `spred select-genes`: the paper's gene-selection protocol on a GEO SOFT file or an expression table. */
export function registerSelectGenes(program: Command, io: CliIO): void {
  program
    .command('select-genes')
    .description(
      'nonlinear gene selection: spred (linear + MLP sharing one gene mask) vs baselines over repeated stratified splits',
    )
    .option(
      '--soft <file>',
      'GEO DataSet SOFT file (GDS*.soft[.gz]); subsets are the label columns',
    )
    .option(
      '--series-matrix <file>',
      'GEO series matrix (GSE*_series_matrix.txt[.gz]); !Sample_characteristics_ch1 keys are the label columns',
    )
    .option(
      '--expression <file>',
      'expression table (TSV/CSV, optionally .gz) with gene and sample names',
    )
    .option('--samples <file>', 'sample sheet: one row per sample, label columns by name')
    .addOption(
      new Option('--orientation <layout>', 'layout of --expression')
        .choices(['auto', 'genes-by-samples', 'samples-by-genes'])
        .default('auto'),
    )
    .requiredOption(
      '--label <column>',
      "label column (sample sheet column or SOFT subset type, e.g. 'disease state')",
    )
    .option(
      '--classes <list>',
      "classes to keep, comma-separated; merge labels with NAME=v1|v2 (e.g. 'B=B|B1|B2,T=T|T1|T2')",
    )
    .option('--repeats <r>', 'random stratified 60/20/20 splits', parsePositiveInteger, 20)
    .option('--methods <list>', `comma-separated, from ${METHODS.join(', ')}`, METHODS.join(','))
    .option(
      '--kappas <list>',
      'κ grid of spred, chosen on dev',
      parsePositiveList,
      [0.7, 0.5, 0.3, 0.1, 0.05, 0.03, 0.01],
    )
    .option(
      '--learning-rates <list>',
      'Adam learning rates of the baselines, chosen on dev',
      parsePositiveList,
      [1e-3],
    )
    .option(
      '--spred-learning-rates <list>',
      "Adam learning rates of spred's selector, chosen on dev (it trains until its gene set is stable)",
      parsePositiveList,
      [1e-2],
    )
    .option(
      '--spred-init-scale <x>',
      "scale of the selector's Kaiming first layer at the start (1: the standard init)",
      parsePositiveNumber,
      1e-2,
    )
    .option(
      '--hidden <list>',
      "hidden widths of spred's MLP head",
      parsePositiveIntegerList,
      [1024, 1024],
    )
    .option(
      '--baseline-hidden <h>',
      'hidden width of the MLP baselines (paper: 4096)',
      parsePositiveInteger,
      1024,
    )
    .option('--epochs <e>', 'most full-batch epochs per fit', parsePositiveInteger, 300)
    .option(
      '--patience <p>',
      'early stopping: epochs without a better dev score (spred: with an unchanged gene set)',
      parsePositiveInteger,
      50,
    )
    .option(
      '--top-variance <n>',
      'keep the n most variable genes (fitted on each training split)',
      parsePositiveInteger,
    )
    .option('--workers <n>', 'worker threads (default: one per core)', parsePositiveInteger)
    .option('--seed <s>', 'seed of splits and initializations', parseNumberOption, 0)
    .option(
      '--out <dir>',
      'folder for the results (rerun to resume an interrupted sweep)',
      'spred-out',
    )
    .action(async (flags: SelectGenesFlags, command: Command) => {
      const set = readInput(flags);
      const data = labeledData(set, flags.label, {
        ...(flags.classes !== undefined ? { classes: flags.classes.split(',') } : {}),
      });
      const methods = parseMethodList(flags.methods, METHODS);
      const choice = await startBackend(command.optsWithGlobals<GlobalOptions>().backend, io);
      const counts = data.classes.map(
        (c, k) => `${c} ${data.labels.filter((l) => l === k).length}`,
      );
      io.err(
        `${data.samples.length} samples (${counts.join(', ')}) × ${data.features.length} genes; ${flags.repeats} repeats × ${methods.length} methods`,
      );
      mkdirSync(flags.out, { recursive: true });
      const interrupt = listenForInterrupt(
        io,
        'interrupted: writing the finished runs (rerun the same command to resume)',
      );
      const bar = new cliProgress.SingleBar(
        { format: 'select-genes [{bar}] {value}/{total} runs {last}', stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      bar.start(flags.repeats * methods.length, 0, { last: '' });
      let sweep;
      try {
        sweep = await runSweep(data, {
          methods,
          repeats: flags.repeats,
          kappas: flags.kappas,
          learningRates: flags.learningRates,
          spredLearningRates: flags.spredLearningRates,
          spredInitScale: flags.spredInitScale,
          hidden: flags.hidden,
          baselineHidden: flags.baselineHidden,
          epochs: flags.epochs,
          patience: flags.patience,
          seed: flags.seed,
          backend: choice.id,
          resultsDir: join(flags.out, 'runs'),
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
      const hsicGenes = geneTable(sweep.runs, data, 'hsic-lasso');
      const majority = majorityRate(data.labels, sweep.splits);
      writeFileSync(
        join(flags.out, 'accuracy.tsv'),
        [
          'method\tmean\tsd\trepeats',
          ...accuracy.map((r) => `${r.method}\t${r.mean}\t${r.sd}\t${r.repeats.join(',')}`),
        ].join('\n') + '\n',
      );
      writeFileSync(
        join(flags.out, 'genes.tsv'),
        [
          'rank\tgene\tweight\tfrequency',
          ...genes.map((g) => `${g.rank}\t${g.gene}\t${g.weight}\t${g.frequency}`),
        ].join('\n') + '\n',
      );
      writeFileSync(
        join(flags.out, 'result.json'),
        `${JSON.stringify(
          {
            input: flags.soft ??
              flags.seriesMatrix ?? { expression: flags.expression, samples: flags.samples },
            label: flags.label,
            classes: data.classes,
            samples: data.samples.length,
            genes: data.features.length,
            backend: choice.id,
            complete: sweep.complete,
            majorityRate: majority,
            protocol: sweep.protocol,
            repeats: flags.repeats,
            accuracy,
            selectedGenes: { spred: genes.slice(0, 200), 'hsic-lasso': hsicGenes.slice(0, 200) },
            runs: sweep.runs.map((run) => ({
              method: run.method,
              repeat: run.repeat,
              testAccuracy: run.testAccuracy,
              devAccuracy: run.devAccuracy,
              chosen: run.chosen,
              fits: run.fits,
              secondsPerFit: run.secondsPerFit,
              genesKept: run.genes?.length ?? null,
            })),
          },
          null,
          2,
        )}\n`,
      );
      if (accuracy.length > 0)
        await writeVegaLiteSvg(join(flags.out, 'accuracy.svg'), accuracyChart(accuracy, majority));
      if (genes.length > 0)
        await writeVegaLiteSvg(
          join(flags.out, 'genes.svg'),
          geneWeightChart(`spred: top ${Math.min(genes.length, 30)} genes`, genes.slice(0, 30)),
        );
      for (const r of accuracy)
        io.out(
          `${r.method.padEnd(11)} ${(100 * r.mean).toFixed(1)}% ± ${(100 * r.sd).toFixed(1)} (${r.repeats.length} repeats, ${r.secondsPerFit.toFixed(2)} s per fit)`,
        );
      io.out(`majority class ${(100 * majority).toFixed(1)}%`);
      if (genes.length > 0)
        io.out(
          `spred's top genes: ${genes
            .slice(0, 10)
            .map((g) => `${g.gene} (${(100 * g.frequency).toFixed(0)}%)`)
            .join(', ')}`,
        );
      io.out(`wrote ${join(flags.out, 'accuracy.tsv')}, genes.tsv, result.json and the figures`);
      if (!sweep.complete) process.exitCode = 130;
    });
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
