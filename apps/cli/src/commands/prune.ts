import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ImageDatasetName } from '@spredjs/vision';
import { IMAGE_DATASET_CHOICES, PRUNE_METHOD_CHOICES } from '../choices.js';
import type { CliIO } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { CliInputError } from '../io/cli-input-error.js';
import {
  parseMethodList,
  parseNonNegativeInteger,
  parseNonNegativeNumber,
  parseFraction,
  parseNumberOption,
  parsePositiveInteger,
  parseSampleCount,
  parsePositiveIntegerList,
  parsePositiveList,
  parsePositiveNumber,
} from '../options.js';

/** The built-in models `--model` names; anything else is a path to a saved tfjs-layers model. */
export const PRESET_MODELS = ['resnet8', 'resnet20', 'resnet18', 'mlp', 'lenet5'] as const;

/** What the compact export stores of each kept weight (`--quantize`). */
export const QUANTIZE_CHOICES = ['float16', 'uint8', 'float32'] as const;

/** spred's prune thresholds on |w| when neither `--thresholds` nor `--compressions` is given. */
export const DEFAULT_THRESHOLDS = [1e-2, 3e-2, 1e-1];

/** The flags of `spred prune`, as commander parses them. */
export interface PruneFlags {
  dataset: ImageDatasetName;
  data?: string;
  x?: string;
  y?: string;
  images?: string;
  validationSplit: number;
  inputScale: number;
  model: string;
  hidden: number[];
  kappa: number;
  kappas?: number[];
  structure: 'elementwise' | 'neurons';
  spredInit: 'balanced' | 'paper';
  thresholds?: number[];
  compressions?: number[];
  compression?: number;
  certified: boolean;
  export: boolean;
  quantize: (typeof QUANTIZE_CHOICES)[number];
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
 * data. The flags are declared here; the work (prune-run.ts, with tfjs and @spredjs/vision) loads
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
    .option(
      '--data <dir>',
      'folder of the data set (IDX files for MNIST-like sets, binary batches for CIFAR); images are standardized per channel',
    )
    .option(
      '--x <file>',
      'instead of --data: inputs as .npy, one sample per row of the first axis (features or images; float or integer, used as given times --input-scale)',
    )
    .option(
      '--y <file>',
      "with --x: the class labels as .npy, integers 0…C-1 (C: the model's outputs)",
    )
    .option(
      '--images <dir>',
      'instead of --data or --x: a folder with one subfolder of PNG/JPEG images per class (classes in sorted order); 8-bit pixels times --input-scale, gray where the model takes one channel',
    )
    .option(
      '--validation-split <f>',
      'with --x or --images: share of the samples (a seeded random draw) held out to measure accuracy',
      parseFraction,
      0.2,
    )
    .option(
      '--input-scale <s>',
      'with --x or --images: multiply the inputs by s (e.g. 0.00392156862745098 = 1/255 for uint8 images)',
      parsePositiveNumber,
      1,
    )
    .option(
      '--model <name|path>',
      `a built-in network (${PRESET_MODELS.join(', ')}) or a saved tfjs-layers model (its model.json, or the folder holding it): its Dense and Conv2D kernels get spred factors, its weights are everyone's init`,
      'resnet8',
    )
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
      '--compression <c>',
      'one target compression ratio (the same as --compressions c)',
      parsePositiveNumber,
    )
    .option(
      '--export',
      "write spred's model at every pruned point to --out/export/<point>/: model.json + weights.bin (tfjs layers format; with --structure neurons the dead units and filters removed) and model.spred.json + model.spred.bin (compact sparse format, loadSparseModel in @spredjs/layers)",
    )
    .addOption(
      new Option(
        '--quantize <type>',
        "the compact export's stored weights: float16, uint8 (per-tensor scale) or float32 (lossless)",
      )
        .choices([...QUANTIZE_CHOICES])
        .default('float16'),
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
      checkDataFlags(flags, command);
      if (!(PRESET_MODELS as readonly string[]).includes(flags.model) && !existsSync(flags.model))
        throw new CliInputError(
          `--model ${flags.model}: not a built-in model (${PRESET_MODELS.join(', ')}) and no such file or folder`,
        );
      if (flags.compression !== undefined) {
        if (flags.compressions !== undefined)
          throw new CliInputError('give --compression or --compressions, not both');
        flags.compressions = [flags.compression];
      }
      if (flags.thresholds !== undefined && flags.compressions !== undefined)
        throw new CliInputError('give --thresholds or --compressions, not both');
      if (flags.export && !methods.includes('spred'))
        throw new CliInputError("--export writes spred's models: --methods must include spred");
      if (flags.kappas !== undefined && !(PRESET_MODELS as readonly string[]).includes(flags.model))
        throw new CliInputError(
          '--kappas trains a built-in --model afresh at each κ; with your own model give one --kappa per run',
        );
      if (flags.export && flags.kappas !== undefined)
        throw new CliInputError('--export writes the points of one κ: give --kappa, not --kappas');
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

/** Where the data come from: `--data` (a folder of a named data set) or `--x`/`--y` (.npy). */
function checkDataFlags(flags: PruneFlags, command: Command): void {
  const sources = [flags.data, flags.x, flags.images].filter((v) => v !== undefined).length;
  if (sources === 0 && flags.y === undefined)
    throw new CliInputError(
      'give the data: --data <dir> (a named data set), --x X.npy --y y.npy, or --images <dir> (a folder per class)',
    );
  if (sources > 1) throw new CliInputError('give one of --data, --x/--y and --images');
  if ((flags.x === undefined) !== (flags.y === undefined))
    throw new CliInputError(
      `${flags.x === undefined ? '--y' : '--x'} needs ${flags.x === undefined ? '--x' : '--y'}`,
    );
  for (const flag of ['validationSplit', 'inputScale'] as const)
    if (
      flags.x === undefined &&
      flags.images === undefined &&
      command.getOptionValueSource(flag) === 'cli'
    )
      throw new CliInputError(
        `--${flag === 'inputScale' ? 'input-scale' : 'validation-split'} goes with --x/--y or --images`,
      );
}
