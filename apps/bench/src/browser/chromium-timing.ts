import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';

/** Headless Chromium from Debian's package (puppeteer-core never downloads one). */
export const CHROMIUM = '/usr/bin/chromium';

/** Two saved tfjs-layers models (folders with model.json) timed against each other. */
export interface ModelPair {
  readonly dense: string;
  readonly pruned: string;
}

/** Median ms per image of each model of a pair, on one backend in Chromium. */
export interface BrowserTiming {
  readonly denseMs: number;
  readonly prunedMs: number;
}

/** The page's timing code: loads both models by URL, times them interleaved, medians. */
const PAGE_SCRIPT = `
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
setWasmPaths('/wasm/');
const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
window.timePair = async ({ backend, dense, pruned, batch, blocks, steps }) => {
  if (!(await tf.setBackend(backend))) throw new Error('backend ' + backend + ' did not start');
  await tf.ready();
  const a = await tf.loadLayersModel(dense);
  const b = await tf.loadLayersModel(pruned);
  const shape = a.inputs[0].shape.slice(1);
  const x = tf.randomNormal([batch, ...shape], 0, 1, 'float32', 1);
  const run = async (m) => { const y = m.predict(x); await y.data(); y.dispose(); };
  for (let i = 0; i < 3; i++) { await run(a); await run(b); }
  const ta = [], tb = [];
  for (let k = 0; k < blocks; k++) {
    for (const [m, t] of [[a, ta], [b, tb]]) {
      const start = performance.now();
      for (let s = 0; s < steps; s++) await run(m);
      t.push((performance.now() - start) / steps / batch);
    }
  }
  x.dispose(); a.dispose(); b.dispose();
  return { denseMs: median(ta), prunedMs: median(tb), backend: tf.getBackend() };
};
window.timingReady = true;
`;

/** The folder of an installed package (resolved from this file). */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${name}/package.json`));
}

/**
 * Times pairs of saved models (dense vs exported) in headless Chromium on each of `backends`
 * (webgl on SwiftShader, wasm with SIMD): a bundled page loads both with `tf.loadLayersModel` and
 * predicts `batch` images, interleaved in blocks, medians per image. Returns undefined when
 * Chromium is not installed (`apt-get install chromium`).
 *
 * @example
 * ```ts
 * const t = await timeInChromium([{ dense: 'dense/', pruned: 'export/t0.1/' }], ['wasm'], 1000);
 * ```
 */
export async function timeInChromium(
  pairs: readonly ModelPair[],
  backends: readonly ('webgl' | 'wasm')[],
  batch: number,
  options: { blocks: number; steps: number },
): Promise<Record<string, BrowserTiming>[] | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const bundled = await build({
    stdin: {
      contents: PAGE_SCRIPT,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'js',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = bundled.outputFiles[0]?.text ?? '';
  const wasmDir = join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
  const served = (path: string): string | undefined => {
    const [, kind, index, ...rest] = path.split('/');
    const pair = pairs[Number(index)];
    if (kind !== 'm' || pair === undefined) return undefined;
    const root = rest[0] === 'dense' ? pair.dense : rest[0] === 'pruned' ? pair.pruned : undefined;
    if (root === undefined) return undefined;
    const file = normalize(join(root, ...rest.slice(1)));
    return file.startsWith(normalize(root)) ? file : undefined;
  };
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/')
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><script src="/main.js"></script>');
    else if (path === '/main.js')
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else if (path.startsWith('/wasm/') && existsSync(join(wasmDir, path.slice(6))))
      response
        .writeHead(200, { 'content-type': 'application/wasm' })
        .end(readFileSync(join(wasmDir, path.slice(6))));
    else {
      const file = served(path);
      if (file !== undefined && existsSync(file)) response.writeHead(200).end(readFileSync(file));
      else response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => (globalThis as { timingReady?: boolean }).timingReady === true);
    const results: Record<string, BrowserTiming>[] = [];
    for (const [index] of pairs.entries()) {
      const timings: Record<string, BrowserTiming> = {};
      for (const backend of backends) {
        const args = {
          backend,
          dense: `/m/${index}/dense/model.json`,
          pruned: `/m/${index}/pruned/model.json`,
          batch,
          ...options,
        };
        timings[backend] = await page.evaluate(
          (a) =>
            (
              globalThis as unknown as {
                timePair: (a: unknown) => Promise<BrowserTiming>;
              }
            ).timePair(a),
          args,
        );
      }
      results.push(timings);
    }
    return results;
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
