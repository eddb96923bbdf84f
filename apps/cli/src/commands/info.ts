import type { Command } from 'commander';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import { cliVersion } from '../version.js';
import type { GlobalOptions } from '../global-options.js';

export function registerInfo(program: Command, io: CliIO): void {
  program
    .command('info')
    .description('print the spred version, the backend that runs, and why faster ones were skipped')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const choice = await startBackend(global.backend, io);
      const { version_core: tfjsVersion } = await import('@tensorflow/tfjs-core');
      const info = {
        spred: cliVersion(),
        node: process.version,
        tfjs: tfjsVersion,
        backend: choice.id,
        tfjsBackend: choice.tfjsName,
        package: choice.packageName,
        details: choice.details,
        ...(choice.pinnedBy === undefined ? {} : { pinnedBy: choice.pinnedBy }),
        skipped: choice.skipped,
      };
      if (options.json === true) {
        io.out(JSON.stringify(info, null, 2));
        return;
      }
      io.out(`spred ${info.spred} (node ${info.node}, tfjs-core ${info.tfjs})`);
      const facts = Object.entries(choice.details)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
      io.out(`backend: ${choice.id} (${choice.packageName}${facts === '' ? '' : `; ${facts}`})`);
      for (const s of choice.skipped) io.out(`  skipped ${s.id}: ${s.reason}`);
    });
}
