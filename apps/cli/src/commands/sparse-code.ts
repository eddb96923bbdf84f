import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { CliInputError } from '../io/cli-input-error.js';
import { BUNDLED_DATA_DIR } from '../demo/bundled-data-dir.js';
import type { GlobalOptions } from '../global-options.js';
import { parseNumberOption, parsePositiveInteger, parseSampleCount } from '../options.js';

/** The flags of `spred sparse-code`, as commander parses them. */
export interface SparseCodeFlags {
  images: string;
  patch: number;
  patches: number;
  atoms: number;
  /** spred's κ (= α/2); exclusive with --alpha. Neither given: α = 1. */
  kappa?: number;
  /** scikit-learn's α of ½‖x − Dc‖² + α‖c‖₁ (κ = α/2); exclusive with --kappa. */
  alpha?: number;
  /** An n × p .npy of patches (one per row, p a square) instead of cutting them from --images. */
  patchMatrix?: string;
  epochs: number;
  batchSize: number;
  whiten: 'zca' | 'none';
  normalize: 'dictionary' | 'codes';
  seed: number;
  out: string;
}

/**
 * `spred sparse-code`: learn a dictionary on natural-image patches (Olshausen & Field) with spred
 * codes. The flags are declared here; the work (sparse-code-run.ts, with tfjs, @spredjs/solvers and
 * @spredjs/vision) loads when the command runs.
 */
export function registerSparseCode(program: Command, io: CliIO): void {
  program
    .command('sparse-code')
    .description(
      'learn a sparse-coding dictionary from image patches; writes atoms.png, dictionary.bin/json, result.json, learning-curve.svg',
    )
    .option('--images <dir>', 'folder of PNG/JPEG photos', join(BUNDLED_DATA_DIR, 'natural-images'))
    .option('--patch <size>', 'patch side in pixels', parsePositiveInteger, 16)
    .option('--patches <n>', 'number of training patches', parseSampleCount, 20000)
    .option('--atoms <k>', 'dictionary size', parsePositiveInteger, 256)
    .option(
      '--kappa <k>',
      'spred penalty κ(‖U‖² + ‖W‖²) on the codes, i.e. 2κ‖S‖₁ (default 0.5, i.e. --alpha 1)',
      parseNumberOption,
    )
    .option(
      '--alpha <a>',
      "scikit-learn's α of ½‖x − Dc‖² + α‖c‖₁ instead of --kappa (κ = α/2; default 1)",
      parseNumberOption,
    )
    .option(
      '--patch-matrix <file>',
      'an n × p .npy of patches (float32 or float64, one per row, p a square) instead of cutting them from --images',
    )
    .option('--epochs <e>', 'passes over the patches', parsePositiveInteger, 30)
    .option('--batch-size <b>', 'patches per mini-batch', parsePositiveInteger, 256)
    .addOption(
      new Option(
        '--whiten <how>',
        'whitening of the patches (before patches cut from images are scaled to unit mean square per pixel)',
      )
        .choices(['zca', 'none'])
        .default('none'),
    )
    .addOption(
      new Option(
        '--normalize <what>',
        "fix the scale with unit-norm atoms ('dictionary') or unit-RMS code rows ('codes', the paper's trick)",
      )
        .choices(['dictionary', 'codes'])
        .default('dictionary'),
    )
    .option(
      '--seed <s>',
      'seed of patches, batches and the initial dictionary',
      parseNumberOption,
      0,
    )
    .option('--out <dir>', 'folder for the results', 'spred-out')
    .action(async (flags: SparseCodeFlags, command: Command) => {
      // Checked before the work loads, so a mistake is answered at once.
      const given = (name: string) => command.getOptionValueSource(name) === 'cli';
      if (flags.alpha !== undefined && flags.kappa !== undefined)
        throw new CliInputError(
          '--alpha and --kappa set the same penalty (κ = α/2): give one of them',
        );
      if (flags.alpha !== undefined && !(flags.alpha > 0 && Number.isFinite(flags.alpha)))
        throw new CliInputError(`--alpha must be positive and finite, got ${String(flags.alpha)}`);
      if (flags.kappa !== undefined && !(flags.kappa > 0 && Number.isFinite(flags.kappa)))
        throw new CliInputError(`--kappa must be positive and finite, got ${String(flags.kappa)}`);
      const cutting = ['patches', 'images', 'patch'].find(given);
      if (flags.patchMatrix !== undefined && cutting !== undefined)
        throw new CliInputError(
          `--patch-matrix uses every row of ${flags.patchMatrix} (the patch side is √p): --${cutting}, which cuts patches from images, does not apply`,
        );
      const { runSparseCode } = await import('./sparse-code-run.js');
      await runSparseCode(flags, command.optsWithGlobals<GlobalOptions>(), io);
    });
}
