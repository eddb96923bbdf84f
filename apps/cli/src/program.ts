import { Command, CommanderError } from 'commander';
import { recordCommandLine } from './output/command-line.js';
import { processIO, type CliIO } from './cli-io.js';
import { registerInfo } from './commands/info.js';
import { registerLassoDemo } from './commands/lasso-demo.js';
import { registerLasso } from './commands/lasso.js';
import { registerPath } from './commands/path.js';
import { registerSparseCode } from './commands/sparse-code.js';
import { registerNodeSparsity } from './commands/node-sparsity.js';
import { registerSelectGenes } from './commands/select-genes.js';
import { registerPrune } from './commands/prune.js';
import { isInputError } from './io/cli-input-error.js';
import { cliVersion } from './version.js';

/**
 * Builds the `spred` command with every subcommand. Registering loads only commander and the
 * flag parsers: each command loads tfjs, a backend and the packages it runs on when it runs, so
 * `--help`, `--version` and a bad flag answer at once.
 */
export function createProgram(io: CliIO = processIO): Command {
  const program = new Command('spred')
    .description(
      'sparse models by gradient descent: L1 and group-L1 penalties as smooth redundant parametrizations',
    )
    .version(cliVersion())
    .option(
      '--backend <name>',
      'pin the tfjs backend: node-gpu, webgpu, node, wasm or cpu (default: the fastest that loads; env SPRED_BACKEND)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
  registerInfo(program, io);
  registerLassoDemo(program, io);
  registerLasso(program, io);
  registerPath(program, io);
  registerSparseCode(program, io);
  registerNodeSparsity(program, io);
  registerSelectGenes(program, io);
  registerPrune(program, io);
  for (const sub of program.commands)
    sub.exitOverride().configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
  return program;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code: 0 on success,
 * 1 when a command ran but failed its own check or crashed, 2 for bad input (flags, files, values).
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const program = createProgram(io);
  recordCommandLine(argv);
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; commander already printed its one-line error otherwise.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isInputError(e)) {
      io.err(`spred: ${e.message}`);
      return 2;
    }
    io.err(`spred: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
