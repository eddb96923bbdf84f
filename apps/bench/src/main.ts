#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { formatBackendChoice, initBackend } from '@spredjs/runtime';
import { formatTable, makeReport, writeFigures, writeReport } from './harness/report.js';
import { SUITES } from './suites/index.js';

const program = new Command('spred-bench')
  .description('time spred against reference solvers on the same problems, in one run')
  .argument('<suite>', `one of: ${SUITES.map((s) => s.name).join(', ')}, all`, (name: string) => {
    if (name !== 'all' && !SUITES.some((s) => s.name === name)) {
      throw new InvalidArgumentError(
        `unknown suite '${name}': expected one of ${SUITES.map((s) => s.name).join(', ')}, all`,
      );
    }
    return name;
  })
  .option('--quick', 'small problems and few repeats (a smoke run)')
  .option(
    '--part <names>',
    'comma-separated parts of the suite to run (lasso: planted, path, logistic; sparse-coding: full adds the 600 s budget, zca whitens; default all)',
    (value: string) => value.split(',').map((part) => part.trim()),
  )
  .option(
    '--out <dir>',
    'folder for <suite>.json, its figures, and what a rerun resumes from (prune: <dir>/prune/<model>/kappas)',
    'bench-results',
  )
  .option(
    '--backend <name>',
    'pin the tfjs backend: node-gpu, webgpu, node, wasm or cpu (env SPRED_BACKEND)',
  )
  .action(
    async (
      suiteName: string,
      options: { quick?: boolean; out: string; backend?: string; part?: string[] },
    ) => {
      // The spred processes the suites start read the same pin.
      if (options.backend !== undefined) process.env['SPRED_BACKEND'] = options.backend;
      const backend = await initBackend(
        options.backend === undefined ? {} : { backend: options.backend },
      );
      process.stderr.write(`${formatBackendChoice(backend)}\n`);
      const suites = suiteName === 'all' ? SUITES : SUITES.filter((s) => s.name === suiteName);
      let missed = 0;
      for (const suite of suites) {
        const outcome = await suite.run({
          quick: options.quick === true,
          ...(options.part === undefined ? {} : { parts: options.part }),
          outDir: options.out,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        const report = makeReport(suite.name, backend, options.quick === true, outcome);
        const path = writeReport(options.out, report);
        process.stdout.write(
          `\n${suite.name} (${backend.id}${options.quick === true ? ', quick' : ''})\n${formatTable(outcome.columns.length > 0 ? outcome.cases : [], outcome.columns)}\n`,
        );
        for (const t of report.targets) {
          process.stdout.write(`target ${t.met ? 'met' : 'MISSED'}: ${t.name} (${t.detail})\n`);
          if (!t.met) missed++;
        }
        process.stdout.write(`wrote ${[path, ...writeFigures(options.out, outcome)].join(', ')}\n`);
      }
      if (missed > 0) process.stdout.write(`${missed} target(s) missed\n`);
    },
  );

try {
  await program.parseAsync();
} catch (e) {
  process.stderr.write(`spred-bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
