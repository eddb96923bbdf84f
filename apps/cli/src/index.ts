export { runCli, createProgram } from './program.js';
export type { CliIO } from './cli-io.js';
export { frontChart } from './figures/charts.js';
