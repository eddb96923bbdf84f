import { Option, type Command } from 'commander';
import { DEFAULT_KAPPA_RATIO_CHOICES, GENE_METHOD_CHOICES } from '../choices.js';
import type { CliIO } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import {
  parseMethodList,
  parseNumberOption,
  parsePositiveInteger,
  parsePositiveNumber,
  parsePositiveIntegerList,
  parsePositiveList,
} from '../options.js';

/** The flags of `spred select-genes`, as commander parses them. */
export interface SelectGenesFlags {
  soft?: string;
  seriesMatrix?: string;
  expression?: string;
  samples?: string;
  orientation: 'auto' | 'genes-by-samples' | 'samples-by-genes';
  label: string;
  classes?: string;
  repeats: number;
  methods: string;
  kappas?: number[];
  kappaRatios: number[];
  spredPatience: number;
  selection: 'one-se' | 'best';
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

/**
 * `spred select-genes`: the paper's gene-selection protocol on a GEO SOFT file or an expression
 * table. The flags are declared here; the work (select-genes-run.ts, with tfjs and
 * @spredjs/genomics) loads when the command runs.
 */
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
    .option(
      '--methods <list>',
      `comma-separated, from ${GENE_METHOD_CHOICES.join(', ')}`,
      GENE_METHOD_CHOICES.join(','),
    )
    .option(
      '--kappa-ratios <list>',
      "spred's κ grid as multiples of each training split's κ_max (the smallest κ that uses no gene), fitted as a warm-started path",
      parsePositiveList,
      [...DEFAULT_KAPPA_RATIO_CHOICES],
    )
    .option(
      '--kappas <list>',
      "an absolute κ grid instead of --kappa-ratios (the paper's: 0.7,0.5,0.3,0.1,0.05,0.03,0.01)",
      parsePositiveList,
    )
    .addOption(
      new Option(
        '--selection <rule>',
        "how each repeat chooses its grid point on dev: one-se (glmnet's lambda.1se: the sparsest within one standard error of the best) or best",
      )
        .choices(['one-se', 'best'])
        .default('one-se'),
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
      "hidden widths of spred's MLP head (the paper's: 1024,1024)",
      parsePositiveIntegerList,
      [64, 64],
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
      'early stopping of the neural baselines: epochs without a better dev score',
      parsePositiveInteger,
      50,
    )
    .option(
      '--spred-patience <p>',
      "spred's stop rule: epochs its gene set must stay unchanged before the optimality check",
      parsePositiveInteger,
      10,
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
      // The flags are checked before the work loads, so a mistake is answered at once.
      const methods = parseMethodList(flags.methods, GENE_METHOD_CHOICES);
      const { runSelectGenes } = await import('./select-genes-run.js');
      await runSelectGenes(flags, methods, command.optsWithGlobals<GlobalOptions>(), io);
    });
}
