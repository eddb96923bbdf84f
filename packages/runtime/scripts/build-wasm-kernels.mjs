// Compiles src/wasm-kernels/simd/*.wat into src/wasm-kernels/simd/*.wasm.ts (the module's bytes as
// base64), so that a build needs no WebAssembly toolchain. Run after editing a .wat:
//   node scripts/build-wasm-kernels.mjs          (writes)
//   node scripts/build-wasm-kernels.mjs --check  (exit 1 when a committed .wasm.ts is stale)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtFactory from 'wabt';

const dir = fileURLToPath(new URL('../src/wasm-kernels/simd/', import.meta.url));
const check = process.argv.includes('--check');
const wabt = await wabtFactory();
let stale = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
  const source = readFileSync(join(dir, name), 'utf8');
  const parsed = wabt.parseWat(name, source, { simd: true });
  const { buffer } = parsed.toBinary({});
  parsed.destroy();
  const base = name.replace(/\.wat$/, '');
  const text =
    `// Generated from ${name} by scripts/build-wasm-kernels.mjs; do not edit.\n` +
    `export const ${camel(base)}Wasm =\n  '${Buffer.from(buffer).toString('base64')}';\n`;
  const target = join(dir, `${base}.wasm.ts`);
  if (check) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {}
    if (current !== text) {
      console.error(`${target} is stale: run node scripts/build-wasm-kernels.mjs`);
      stale++;
    }
  } else writeFileSync(target, text);
}
process.exit(stale === 0 ? 0 : 1);

function camel(s) {
  return s.replace(/-(\w)/g, (_, c) => c.toUpperCase());
}
