// Bundles the example page for the browser: src/main.ts (with tfjs, @spredjs/core and @spredjs/layers)
// into dist/main.js, beside a copy of index.html. Run as `node scripts/bundle.mjs [outdir]`.
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] ?? join(app, 'dist'));
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(app, 'src/main.ts')],
  outfile: join(outdir, 'main.js'),
  bundle: true,
  platform: 'browser',
  format: 'iife', // a classic script: browsers refuse module scripts from file://
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
copyFileSync(join(app, 'index.html'), join(outdir, 'index.html'));
cpSync(join(app, 'public'), outdir, { recursive: true }); // the shipped model: model/
console.log(`bundled the page into ${outdir} (open index.html, or serve the folder)`);
