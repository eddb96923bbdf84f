import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { BUNDLED_DATA_DIR } from '../demo/bundled-data-dir.js';
import type { GlobalOptions } from '../global-options.js';
import { parseNumberOption, parsePositiveInteger, parseSampleCount } from '../options.js';

/** The flags of `spred sparse-code`, as commander parses them. */
export interface SparseCodeFlags {
  images: string;
  patch: number;
  patches: number;
  atoms: number;
  kappa: number;
  epochs: number;
  batchSize: number;
  whiten: 'zca' | 'none';
  normalize: 'dictionary' | 'codes';
  seed: number;
  out: string;
}

/**
 * `spred sparse-code`: learn a dictionary on natural-image patches (Olshausen & Field) with spred
 * codes. The flags are declared here; the work (sparse-code-run.ts, with tfjs, @spred/solvers and
 * @spred/vision) loads when the command runs.
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
      'spred penalty κ(‖U‖² + ‖W‖²) on the codes, i.e. 2κ‖S‖₁',
      parseNumberOption,
      0.25,
    )
    .option('--epochs <e>', 'passes over the patches', parsePositiveInteger, 10)
    .option('--batch-size <b>', 'patches per mini-batch', parsePositiveInteger, 256)
    .addOption(
      new Option('--whiten <how>', 'whitening of the patches')
        .choices(['zca', 'none'])
        .default('zca'),
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
      const { runSparseCode } = await import('./sparse-code-run.js');
      await runSparseCode(flags, command.optsWithGlobals<GlobalOptions>(), io);
    });
}
