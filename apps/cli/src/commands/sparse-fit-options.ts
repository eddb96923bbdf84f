import { Option, type Command } from 'commander';
import { parseNumberOption, parsePositiveInteger, parsePositiveNumber } from '../options.js';

/** Flags shared by `spred lasso` and `spred path`. */
export interface SparseFitFlags {
  x: string;
  y: string;
  solver: 'spred' | 'cd' | 'fista';
  penalty: 'l1' | 'elasticnet' | 'group';
  l1Ratio: number;
  groups?: string;
  task: 'regression' | 'logistic';
  standardize?: boolean;
  intercept: boolean;
  tol: number;
  maxIter?: number;
  header: 'auto' | 'yes' | 'no';
  rowNames: 'auto' | 'yes' | 'no';
  out: string;
}

/** Adds the shared flags to a command. */
export function addSparseFitOptions(command: Command): Command {
  return command
    .requiredOption(
      '--x <file>',
      'design matrix: TSV/CSV (header and row names detected) or .npy (float32/float64, C or Fortran order)',
    )
    .requiredOption(
      '--y <file>',
      'targets: one column (several for multi-task), or class labels with --task logistic',
    )
    .addOption(
      new Option('--solver <name>', 'spred, or an exact reference')
        .choices(['spred', 'cd', 'fista'])
        .default('spred'),
    )
    .addOption(
      new Option('--penalty <name>', 'l1; elasticnet (with --l1-ratio); group (with --groups)')
        .choices(['l1', 'elasticnet', 'group'])
        .default('l1'),
    )
    .option(
      '--l1-ratio <rho>',
      'elastic net mixing ρ in α(ρ‖w‖₁ + (1−ρ)/2‖w‖²)',
      parseNumberOption,
      0.5,
    )
    .option('--groups <file>', 'group id of every feature, one per line (or one column)')
    .addOption(
      new Option(
        '--task <name>',
        'regression: (1/2n)‖y − Xw − b‖²; logistic: cross-entropy, binary or multinomial',
      )
        .choices(['regression', 'logistic'])
        .default('regression'),
    )
    .option(
      '--standardize',
      'scale features to unit variance before fitting (coefficients reported on the original scale)',
    )
    .option('--no-intercept', 'do not fit an intercept')
    .option(
      '--tol <t>',
      'stop when the duality gap ≤ t × objective(0) (t > 0)',
      parsePositiveNumber,
      1e-6,
    )
    .option('--max-iter <k>', 'solver iteration cap', parsePositiveInteger)
    .addOption(
      new Option(
        '--header <mode>',
        'whether text files start with a header row (auto: when all its cells after the first are names)',
      )
        .choices(['auto', 'yes', 'no'])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--row-names <mode>',
        'whether the first column of a text X holds row names (auto: when all its cells are names)',
      )
        .choices(['auto', 'yes', 'no'])
        .default('auto'),
    )
    .option('--out <dir>', 'folder for the results', 'spred-out');
}
