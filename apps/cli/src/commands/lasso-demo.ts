import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { parseNumberOption, parsePositiveInteger } from '../options.js';

/** The flags of `spred lasso-demo`. */
export interface LassoDemoOptions {
  genes: number;
  alphaRatio: number;
  steps: number;
  seed: number;
  out?: string;
}

/**
 * `spred lasso-demo`: a lasso on real microarray data (the bundled Alon colon set) whose design
 * is orthogonalized so that the exact answer is known in closed form; spred (plain gradient
 * descent on V = U ⊙ W) must reproduce it, and the command fails if it does not.
 */
export function registerLassoDemo(program: Command, io: CliIO): void {
  program
    .command('lasso-demo')
    .description(
      'solve a lasso on bundled real data with spred and check it against the closed form',
    )
    .option('--genes <d>', 'number of most variable genes to use', parsePositiveInteger, 40)
    .option('--alpha-ratio <r>', 'α as a fraction of α_max = ‖Xᵀy‖∞/n', parseNumberOption, 0.3)
    .option(
      '--steps <k>',
      'most gradient steps (stops earlier once the support has settled)',
      parsePositiveInteger,
      20000,
    )
    .option('--seed <s>', 'seed of the factor initialization', parseNumberOption, 0)
    .option('--out <dir>', 'also write result.json there')
    .action(async (options: LassoDemoOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      await startBackend(global.backend, io);
      const { runLassoDemo } = await import('./lasso-demo-run.js');
      const result = runLassoDemo(options, io);
      if (options.out !== undefined) {
        mkdirSync(options.out, { recursive: true });
        writeFileSync(join(options.out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
        io.err(`wrote ${join(options.out, 'result.json')}`);
      }
      if (!result.agrees) process.exitCode = 1;
    });
}
