#!/usr/bin/env node
// The `spred` command. It is not in dist/ so that it exists before the first build: pnpm links it
// into node_modules/.bin when the workspace is installed (a link to a missing file is skipped with
// a warning). The CLI it starts is dist/main.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    `spred: ${fileURLToPath(main)} is not built yet: run pnpm build (pnpm spred … builds first)\n`,
  );
  process.exit(1);
}
await import(main.href);
