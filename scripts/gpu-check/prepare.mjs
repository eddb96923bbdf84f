#!/usr/bin/env node
// Prepares gpu-check/bundle/: everything a GPU machine without Node or internet needs to run the
// `--quick` overhead, lasso (tensor part) and prune suites pinned to webgpu and to wasm
// (scripts/gpu-check/run.sh runs them there). Run after `pnpm build`:
//   node scripts/gpu-check/prepare.mjs
// Contents (under 64 MiB, the most that travels with the repo to the device):
//   node.gz             this Node binary (linux-x64), gzipped
//   bench.mjs           apps/bench bundled with its workspace packages and tfjs (esbuild)
//   *.wasm              tfjs-backend-wasm's binaries, beside the bundle where it looks for them
//   node_modules/webgpu Dawn's prebuilt binding for linux-x64 only (npm `webgpu`), gzipped
//   lib/libvulkan.so.1  the Vulkan loader (Debian libvulkan1), for LD_LIBRARY_PATH
//   fashion-mnist/      the first 2,000 training and test images, IDX gzipped
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync, createGzip } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = join(root, 'gpu-check', 'bundle');
const LIMIT = 64 * 1024 * 1024;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const entry = join(root, 'apps', 'bench', 'dist', 'main.js');
if (!existsSync(entry)) {
  console.error(`${entry} is missing: run pnpm build first`);
  process.exit(2);
}

// 1. The bench and everything it imports in one ESM file; native and optional packages stay out.
await build({
  entryPoints: [entry],
  outfile: join(out, 'bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'wabt'],
  banner: {
    js: [
      "import { createRequire as __spredRequire } from 'node:module';",
      "import { fileURLToPath as __spredPath } from 'node:url';",
      "import { dirname as __spredDir } from 'node:path';",
      'const require = __spredRequire(import.meta.url);',
      'const __filename = __spredPath(import.meta.url);',
      'const __dirname = __spredDir(__filename);',
    ].join('\n'),
  },
  logLevel: 'warning',
});

// 2. tfjs-backend-wasm's binaries, where its Emscripten loader looks (beside the script).
const requireFromRuntime = createRequire(join(root, 'packages', 'runtime', 'package.json'));
const wasmDir = join(dirname(requireFromRuntime.resolve('@tensorflow/tfjs-backend-wasm')), '..');
// (Node runs the single-threaded builds: no SharedArrayBuffer workers.)
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'])
  cpSync(join(wasmDir, 'dist', file), join(out, file));

// 3. npm `webgpu` with its linux-x64 binary only.
const webgpuDir = dirname(requireFromRuntime.resolve('webgpu/package.json'));
const webgpuOut = join(out, 'node_modules', 'webgpu');
mkdirSync(join(webgpuOut, 'dist'), { recursive: true });
for (const file of ['package.json', 'index.js']) cpSync(join(webgpuDir, file), join(webgpuOut, file));
// dawn.node is 21 MB: it travels gzipped and run.sh unpacks it.
mkdirSync(join(webgpuOut, 'dist', 'linux-x64'));
for (const file of readdirSync(join(webgpuDir, 'dist', 'linux-x64'))) {
  const from = join(webgpuDir, 'dist', 'linux-x64', file);
  writeFileSync(join(webgpuOut, 'dist', 'linux-x64', `${file}.gz`), gzipSync(readFileSync(from), { level: 9 }));
}

// 4. The Vulkan loader from Debian's libvulkan1 (the device has a driver but maybe no loader).
const scratch = mkdtempSync(join(tmpdir(), 'spred-gpu-check-'));
try {
  execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: scratch, stdio: 'pipe' });
  const deb = readdirSync(scratch).find((f) => f.endsWith('.deb'));
  if (deb === undefined) throw new Error('apt-get download libvulkan1 gave no .deb');
  execFileSync('dpkg-deb', ['-x', join(scratch, deb), join(scratch, 'x')]);
  const libDir = join(scratch, 'x', 'usr', 'lib', 'x86_64-linux-gnu');
  const loader = readdirSync(libDir).find((f) => /^libvulkan\.so\.1\.\d/.test(f));
  if (loader === undefined) throw new Error('libvulkan1 has no libvulkan.so.1.*');
  mkdirSync(join(out, 'lib'));
  cpSync(join(libDir, loader), join(out, 'lib', 'libvulkan.so.1'));
} catch (e) {
  console.error(`libvulkan1 not bundled (${e instanceof Error ? e.message : e}): the device must have it`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 5. A Fashion-MNIST subset in the IDX format the bench reads.
const fashion = join(root, '..', 'shared', 'data', 'fashion-mnist');
const subset = join(out, 'fashion-mnist');
mkdirSync(subset);
const keep = 2000;
for (const [name, itemBytes, headerBytes] of [
  ['train-images-idx3-ubyte.gz', 784, 16],
  ['train-labels-idx1-ubyte.gz', 1, 8],
  ['t10k-images-idx3-ubyte.gz', 784, 16],
  ['t10k-labels-idx1-ubyte.gz', 1, 8],
]) {
  const source = join(fashion, name);
  if (!existsSync(source)) {
    console.error(`${source} is missing: the prune suite will use its synthetic stand-in`);
    continue;
  }
  const raw = gunzipSync(readFileSync(source));
  const head = Buffer.from(raw.subarray(0, headerBytes));
  head.writeUInt32BE(keep, 4);
  const body = raw.subarray(headerBytes, headerBytes + keep * itemBytes);
  writeFileSync(join(subset, name), gzipSync(Buffer.concat([head, body]), { level: 9 }));
}

// 6. This Node binary, gzipped (the device has no Node).
await pipeline(
  createReadStream(process.execPath),
  createGzip({ level: 9 }),
  createWriteStream(join(out, 'node.gz')),
);
cpSync(join(root, 'scripts', 'gpu-check', 'run.sh'), join(out, 'run.sh'));

const size = du(out);
console.log(`gpu-check/bundle: ${(size / 1024 / 1024).toFixed(1)} MiB (limit 64 MiB)`);
if (size > LIMIT) {
  console.error('the bundle is over the 64 MiB that travels to the device');
  process.exit(1);
}

function du(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, f) => sum + du(join(path, f)), 0);
}
