// Adds up the vitest JSON reports of every workspace package into one closing line
// ("N passed, N failed, N skipped") so CI reads one count for the whole monorepo. A test that
// cannot run here (missing data, an optional package) must say so with it.skipIf / ctx.skip():
// vitest reports it as pending, counted here as skipped, instead of passing having checked nothing.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ['packages', 'apps']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const report = join(group, name, 'test-results.json');
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    const skippedHere = r.numPendingTests + (r.numTodoTests ?? 0);
    skipped += skippedHere;
    rows.push(
      `${group}/${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skippedHere} skipped`,
    );
  }
}
console.log(rows.join('\n'));
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
