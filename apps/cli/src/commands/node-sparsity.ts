import { Option, type Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { CliInputError } from '../io/cli-input-error.js';
import {
  parseNumberOption,
  parsePositiveInteger,
  parseNonNegativeNumber,
  parsePositiveNumber,
  parseSampleCount,
} from '../options.js';

/** The flags of `spred node-sparsity`, as commander parses them. */
export interface NodeSparsityFlags {
  dataset: 'fashion-mnist' | 'mnist';
  data: string;
  activation: 'relu' | 'swish';
  weightDecays: string;
  epochs: number;
  optimizer: 'sgd' | 'momentum' | 'adam';
  /** Absent: the optimizer's default rate. */
  lr?: number;
  schedule: 'constant' | 'cosine';
  batchSize: number;
  samples: number;
  hidden: number;
  threshold: number;
  seed: number;
  out: string;
}

/**
 * `spred node-sparsity`: node and weight sparsity of a ReLU/swish MLP across weight decays (the
 * paper's experiment). The flags are declared here; the work (node-sparsity-run.ts, with tfjs and
 * @spredjs/vision) loads when the command runs.
 */
export function registerNodeSparsity(program: Command, io: CliIO): void {
  program
    .command('node-sparsity')
    .description(
      'train the 784→1000→10 MLP over a sweep of weight decays; node vs weight sparsity, table and figures',
    )
    .addOption(
      new Option('--dataset <name>', 'image data set')
        .choices(['fashion-mnist', 'mnist'])
        .default('fashion-mnist'),
    )
    .requiredOption(
      '--data <dir>',
      'folder with train-images-idx3-ubyte(.gz) and train-labels-idx1-ubyte(.gz)',
    )
    .addOption(
      new Option('--activation <name>', 'hidden activation')
        .choices(['relu', 'swish'])
        .default('relu'),
    )
    .option(
      '--weight-decays <list>',
      'comma-separated λ of the L2 term λ‖W‖²',
      '0,1e-5,3e-5,1e-4,3e-4,1e-3',
    )
    .option('--epochs <e>', 'epochs per weight decay', parsePositiveInteger, 10)
    .addOption(
      new Option(
        '--optimizer <kind>',
        'update rule (adam leaves dead neurons jittering at ~lr, above the threshold)',
      )
        .choices(['sgd', 'momentum', 'adam'])
        .default('momentum'),
    )
    .option(
      '--lr <rate>',
      'base learning rate (default: sgd 0.1, momentum 0.05 with β 0.9, adam 1e-3)',
      parsePositiveNumber,
    )
    .addOption(
      new Option('--schedule <name>', 'learning-rate schedule over the epochs')
        .choices(['constant', 'cosine'])
        .default('constant'),
    )
    .option('--batch-size <b>', 'mini-batch size', parsePositiveInteger, 256)
    .option(
      '--samples <n>',
      'training images used (from the start of the set)',
      parseSampleCount,
      60000,
    )
    .option('--hidden <h>', 'hidden units', parsePositiveInteger, 1000)
    .option(
      '--threshold <t>',
      'a neuron is dead when its outgoing weights have mean |w| below this (≥ 0)',
      parseNonNegativeNumber,
      1e-4,
    )
    .option('--seed <s>', 'seed of the initializations', parseNumberOption, 0)
    .option('--out <dir>', 'folder for the results', 'spred-out')
    .action(async (flags: NodeSparsityFlags, command: Command) => {
      // The flags are checked before the work loads, so a mistake is answered at once.
      const weightDecays = flags.weightDecays.split(',').map((s) => Number(s.trim()));
      if (weightDecays.some((v) => !(Number.isFinite(v) && v >= 0)))
        throw new CliInputError(
          `--weight-decays must be non-negative numbers, got '${flags.weightDecays}'`,
        );
      const { runNodeSparsity } = await import('./node-sparsity-run.js');
      await runNodeSparsity(flags, weightDecays, command.optsWithGlobals<GlobalOptions>(), io);
    });
}
