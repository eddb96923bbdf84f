import { register } from 'node:module';
import type { RecordImportsData } from './record-imports-hooks.js';

// `SPRED_IMPORT_LOG=FILE node --import ./dist/testing/record-imports.js dist/main.js …` appends
// every package the CLI imports to FILE, one per line: startup.test.ts uses it to check that
// `--help` and `--version` load neither tfjs nor any other heavy package.
const file = process.env.SPRED_IMPORT_LOG;
if (file === undefined || file === '')
  throw new Error('record-imports: set SPRED_IMPORT_LOG to the file the imports are written to');
register<RecordImportsData>('./record-imports-hooks.js', import.meta.url, { data: { file } });
