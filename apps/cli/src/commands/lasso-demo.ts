import { join } from 'node:path';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import type { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { parseNumberOption, parsePositiveInteger } from '../options.js';

/** The flags of `spred lasso-demo`. */
export interface LassoDemoOptions {
  nAlphas: number;
  eps: number;
  tol: number;
  out?: string;
}

/**
 * `spred lasso-demo`: a lasso path on real microarray data (the bundled Alon colon set, all of
 * it) solved by spred and by the exact reference; every spred point carries its float64 duality
 * gap, and the command fails unless every point is certified and agrees with the reference.
 */
export function registerLassoDemo(program: Command, io: CliIO): void {
  program
    .command('lasso-demo')
    .description(
      'solve a lasso path on bundled real data with spred, certified and checked against the exact reference',
    )
    .option('--n-alphas <k>', 'α on the path', parsePositiveInteger, 50)
    .option('--eps <e>', 'smallest α as a fraction of α_max', parseNumberOption, 1e-2)
    .option('--tol <t>', "spred's duality-gap tolerance, relative to P(0)", parseNumberOption, 1e-8)
    .option('--out <dir>', 'also write result.json there')
    .action(async (options: LassoDemoOptions) => {
      const out = options.out === undefined ? undefined : prepareOutputFolder(options.out);
      const { runLassoDemo } = await import('./lasso-demo-run.js');
      const result = runLassoDemo(options, io);
      if (out !== undefined) {
        writeAtomic(out, 'result.json', `${JSON.stringify(result, null, 2)}\n`);
        io.err(`wrote ${join(out, 'result.json')}`);
      }
      if (!result.agrees) process.exitCode = 1;
    });
}
