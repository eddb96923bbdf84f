import type { BenchSuite } from '../harness/suite.js';
import { certifySuite } from './certify.js';
import { deploySuite } from './deploy.js';
import { genesAllSuite, genesSuite } from './genes.js';
import { lassoSuite } from './lasso.js';
import { optimSuite } from './optim.js';
import { pruneSuite } from './prune.js';
import { overheadSuite } from './overhead.js';
import { sparseCodingSuite } from './sparse-coding.js';

/** Every suite, by name, in the order `all` runs them. */
export const SUITES: readonly BenchSuite[] = [
  overheadSuite,
  optimSuite,
  lassoSuite,
  sparseCodingSuite,
  genesSuite,
  genesAllSuite,
  pruneSuite,
  certifySuite,
  deploySuite,
];
