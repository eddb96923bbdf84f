import { Option, type Command } from 'commander';
import type { ImageDatasetName } from '@spred/vision';
import { IMAGE_DATASET_CHOICES, PRUNE_METHOD_CHOICES } from '../choices.js';
import type { CliIO } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { CliInputError } from '../io/cli-input-error.js';
import {
  parseMethodList,
  parseNonNegativeInteger,
  parseNonNegativeNumber,
  parseNumberOption,
  parsePositiveInteger,
  parseSampleCount,
  parsePositiveIntegerList,
  parsePositiveList,
  parsePositiveNumber,
} from '../options.js';

const MODELS = ['resnet8', 'resnet20', 'resnet18', 'mlp', 'lenet5'] as const;

/** spred's prune thresholds on |w| when neither `--thresholds` nor `--compressions` is given. */
export const DEFAULT_THRESHOLDS = [1e-2, 3e-2, 1e-1];

/** The flags of `spred prune`, as commander parses them. */
export interface PruneFlags {
  dataset: ImageDatasetName;
  data: string;
  model: (typeof MODELS)[number];
  hidden: number[];
  kappa: number;
  kappas?: number[];
  structure: 'elementwise' | 'neurons';
  spredInit: 'balanced' | 'paper';
  thresholds?: number[];
  compressions?: number[];
  certified: boolean;
  methods: string;
  epochs: number;
  finetuneEpochs: number;
  trainSamples: number;
  testSamples: number;
  batchSize: number;
  lr: number;
  finetuneLr?: number;
  weightDecay: number;
  minPerLayer: number;
  augment: 'auto' | 'on' | 'off';
  seed: number;
  out: string;
}

/**
 * `spred prune`: accuracy vs compression of spred and the pruning baselines on MNIST-like or CIFAR
 * data. The flags are declared here; the work (prune-run.ts, with tfjs and @spred/vision) loads
 * when the command runs.
 */
export function registerPrune(program: Command, io: CliIO): void {
  program
    .command('prune')
    .description(
      'train with spred on every kernel, prune at thresholds, finetune; vs magnitude, random, SNIP, SynFlow, GraSP and lottery tickets at the same compression',
    )
    .addOption(
      new Option('--dataset <name>', 'image data set')
        .choices([...IMAGE_DATASET_CHOICES])
        .default('fashion-mnist'),
    )
    .requiredOption(
      '--data <dir>',
      'folder of the data set (IDX files for MNIST-like sets, binary batches for CIFAR)',
    )
    .addOption(new Option('--model <name>', 'network').choices([...MODELS]).default('resnet8'))
    .option('--hidden <list>', 'hidden widths of --model mlp', parsePositiveIntegerList, [300, 100])
    .option(
      '--kappa <k>',
      'κ of the spred factors (penalty 2κ‖W‖₁ on every kernel)',
      parsePositiveNumber,
      1e-3,
    )
    .option(
      '--kappas <list>',
      'instead of --kappa: several κ (comma-separated), for the Pareto front over κ at --compressions; finished κ are kept in --out/kappas/ (rerun to resume)',
      parsePositiveList,
    )
    .addOption(
      new Option(
        '--spred-init <how>',
        "spred's factors: 'balanced' (√ of the shared init) or 'paper' (unit-variance U, He W)",
      )
        .choices(['balanced', 'paper'])
        .default('balanced'),
    )
    .addOption(
      new Option(
        '--structure <s>',
        "'elementwise' (unstructured) or 'neurons' (whole filters / units)",
      )
        .choices(['elementwise', 'neurons'])
        .default('elementwise'),
    )
    .option(
      '--thresholds <list>',
      `prune thresholds on spred's |w|; baselines are pruned to the compression each gives (default ${DEFAULT_THRESHOLDS.join(',')})`,
      parsePositiveList,
    )
    .option(
      '--compressions <list>',
      "instead of --thresholds: target compression ratios (e.g. 10,100,1000); spred's threshold is chosen to reach each",
      parsePositiveList,
    )
    .option(
      '--no-certified',
      "leave out spred's certified point (exact zeros where zero is certified on the training data, no threshold), measured before the thresholds",
    )
    .option(
      '--methods <list>',
      `comma-separated, from ${PRUNE_METHOD_CHOICES.join(', ')}`,
      PRUNE_METHOD_CHOICES.join(','),
    )
    .option(
      '--epochs <e>',
      'epochs of the first training (spred and the dense model)',
      parsePositiveInteger,
      4,
    )
    .option(
      '--finetune-epochs <f>',
      'epochs of finetuning after pruning (paper: 20)',
      parseNonNegativeInteger,
      1,
    )
    .option(
      '--train-samples <n>',
      'training images used (from the start of the set)',
      parseSampleCount,
      2500,
    )
    .option('--test-samples <n>', 'test images used', parsePositiveInteger, 1000)
    .option('--batch-size <b>', 'mini-batch size', parsePositiveInteger, 64)
    .option('--lr <rate>', 'Adam learning rate', parsePositiveNumber, 3e-3)
    .option(
      '--finetune-lr <rate>',
      'Adam learning rate of finetuning (default: --lr)',
      parsePositiveNumber,
    )
    .option(
      '--weight-decay <λ>',
      'decoupled weight decay on what spred does not penalize, and on plain training',
      parseNonNegativeNumber,
      5e-4,
    )
    .option(
      '--min-per-layer <m>',
      'keep at least m weights in every Dense/Conv2D kernel, for every method alike (0: off)',
      parseNonNegativeInteger,
      0,
    )
    .addOption(
      new Option('--augment <when>', 'random crop (pad 4) and flip; auto: on for CIFAR')
        .choices(['auto', 'on', 'off'])
        .default('auto'),
    )
    .option(
      '--seed <s>',
      'seed of inits, batch orders, masks and augmentation',
      parseNumberOption,
      0,
    )
    .option('--out <dir>', 'folder for the results', 'spred-out')
    .action(async (flags: PruneFlags, command: Command) => {
      // The flags are checked before the work loads, so a mistake is answered at once.
      const methods = parseMethodList(flags.methods, PRUNE_METHOD_CHOICES);
      if (flags.thresholds !== undefined && flags.compressions !== undefined)
        throw new CliInputError('give --thresholds or --compressions, not both');
      if (flags.kappas !== undefined) {
        if (command.getOptionValueSource('kappa') === 'cli')
          throw new CliInputError('give --kappa or --kappas, not both');
        if (flags.compressions === undefined)
          throw new CliInputError(
            '--kappas needs --compressions (target compressions, e.g. 10,100,1000: a threshold means a different compression at each κ)',
          );
        const twice = flags.kappas.find((k, i) => flags.kappas?.indexOf(k) !== i);
        if (twice !== undefined) throw new CliInputError(`--kappas lists ${twice} twice`);
      }
      const { runPrune } = await import('./prune-run.js');
      await runPrune(flags, methods, command.optsWithGlobals<GlobalOptions>(), io);
    });
}
