import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainInBrowserResult } from './train-in-browser.js';

const CHROMIUM = '/usr/bin/chromium';
const app = fileURLToPath(new URL('..', import.meta.url));

/** Everything a browser bundle reads or leaves to the runtime that is a Node built-in. */
function nodeBuiltins(metafile: Metafile): string[] {
  const inputs = Object.entries(metafile.inputs).flatMap(([path, input]) => [
    path,
    ...input.imports.map((i) => i.path),
  ]);
  const outputs = Object.values(metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return [...new Set([...inputs, ...outputs])].filter(
    (path) => path.startsWith('node:') || isBuiltin(path),
  );
}

async function bundle(
  contents: string,
  format: 'esm' | 'iife' = 'esm',
): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    stdin: { contents, resolveDir: `${app}src`, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'browser',
    format,
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]?.text ?? '', metafile: result.metafile };
}

describe('@spredjs/core and @spredjs/layers bundle for the browser', () => {
  for (const name of ['@spredjs/core', '@spredjs/layers']) {
    it(`${name} with tfjs, bundled for platform browser, pulls in no Node built-in`, async () => {
      const { metafile } = await bundle(`export * from '${name}';`);
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.some((path) => path.includes('@tensorflow/tfjs-core'))).toBe(true);
      expect(nodeBuiltins(metafile)).toEqual([]);
    });
  }
});

/**
 * A hang guard, not a speed target: Chromium's SwiftShader runs webgl and webgpu on the CPU, and
 * under CI's load (two cores shared with the other packages' tests) a run takes several times as
 * long as on an idle machine (webgl 14 s idle, 72 s in one CI run).
 */
const BROWSER_RUN_LIMIT_MS = 600_000;

describe.skipIf(!existsSync(CHROMIUM))(
  'a spred model trains in headless Chromium',
  { timeout: BROWSER_RUN_LIMIT_MS },
  () => {
    let server: Server | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let origin = '';
    const pageErrors: string[] = [];

    beforeAll(async () => {
      const { code, metafile } = await bundle(`import './main.ts';`, 'iife'); // as scripts/bundle.mjs does
      expect(nodeBuiltins(metafile)).toEqual([]);
      const html = readFileSync(`${app}index.html`);
      server = createServer((request, response) => {
        const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
        if (path === '/' || path === '/index.html') {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
        } else if (path === '/main.js') {
          response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code);
        } else if (/^\/model\/[\w.]+$/.test(path) && existsSync(`${app}public${path}`)) {
          response.writeHead(200).end(readFileSync(`${app}public${path}`)); // the shipped model
        } else {
          response.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        // webgl on SwiftShader GL (no GPU here); webgpu, if Chromium offers it, on SwiftShader Vulkan
        args: [
          '--no-sandbox',
          '--use-angle=swiftshader',
          '--enable-unsafe-swiftshader',
          '--enable-unsafe-webgpu',
          '--enable-features=Vulkan',
        ],
      });
      page = await browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      origin = `http://127.0.0.1:${port}`;
      // the page starts training when opened; these tests drive it themselves
      await page.goto(`${origin}/?autorun=0`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.spredWeb !== undefined, { timeout: 30_000 });
      // the page runs its shipped model when opened (on tfjs's default backend): let it finish
      await page.waitForFunction(
        () => document.getElementById('exported')?.textContent !== 'loading…',
        { timeout: 60_000 },
      );
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) =>
        server === undefined ? resolve(undefined) : server.close(resolve),
      );
    });

    /**
     * The claims for one run: it trained; polish certified the L1 problem's stationary point (Adam
     * alone had not); the certified zeros include most of the uninformative inputs' weights; and
     * collapse changed nothing but exact zeros of the polished model.
     */
    function expectCertifiedAndSparse(result: TrainInBrowserResult, backend: string): void {
      expect(result.backend).toBe(backend);
      expect(result.lossLast).toBeLessThan(0.5 * result.lossFirst);
      expect(result.total).toBe(20 * 16 + 16 * 3);
      expect(result.violationBefore).toBeGreaterThan(0.1);
      expect(result.certified).toBe(true);
      expect(result.violationAfter).toBeLessThanOrEqual(1e-4);
      // the 17 uninformative inputs' 272 first-layer weights carry no signal but their chance
      // correlation with the labels in 256 samples: at the L1 answer for κ = 3e-3 most are zero
      expect(result.noiseZeros).toBeGreaterThanOrEqual(0.85 * result.noiseTotal);
      expect(result.zeros).toBeGreaterThanOrEqual(result.noiseZeros);
      expect(result.zeros).toBeLessThan(result.total);
      // polish's zeros are exact in the spred model already: collapse moves no output
      expect(result.maxOutputChange).toBeLessThan(1e-4);
    }

    it('trains on webgl, polish certifies, and collapse keeps exactly its zeros', async () => {
      const result = await page.evaluate(() =>
        window.spredWeb!.trainInBrowser({ backend: 'webgl' }),
      );
      console.log(`webgl: ${JSON.stringify(result)}`);
      expectCertifiedAndSparse(result, 'webgl');
      expect(pageErrors).toEqual([]);
    });

    it('trains on webgpu where headless Chromium offers it', async (ctx) => {
      const offer = await page.evaluate(() => window.spredWeb!.webgpuOffered());
      if (!offer.offered) {
        console.warn(`webgpu not offered by headless Chromium: ${offer.detail}`);
        ctx.skip(`webgpu not offered by headless Chromium: ${offer.detail}`);
      }
      // fewer, larger steps than on webgl: on SwiftShader's Vulkan every compute pass runs on the CPU
      const result = await page.evaluate(() =>
        window.spredWeb!.trainInBrowser({ backend: 'webgpu', steps: 100, learningRate: 0.05 }),
      );
      console.log(`webgpu (${offer.detail}): ${JSON.stringify(result)}`);
      expectCertifiedAndSparse(result, 'webgpu');
    });

    it('runs the shipped model (spred prune --export, compact format) on fresh inputs', async () => {
      const report = await page.evaluate(() => window.spredWeb!.runExportedModel('./model/'));
      console.log(`shipped model: ${JSON.stringify({ ...report, predictions: undefined })}`);
      // the task is learnable to ~100%; the export was checked at its held-out accuracy
      expect(report.accuracy).toBeGreaterThan(0.9);
      expect(report.compactBytes).toBe(statSync(`${app}public/model/model.spred.bin`).size);
      expect(report.compactBytes).toBeLessThan(report.denseBytes / 4);
      // it reads the 3 informative inputs and drops most of the 17 others
      expect(report.droppedInputs.filter((i) => i < 3)).toEqual([]);
      expect(report.droppedInputs.length).toBeGreaterThanOrEqual(12);
      expect(new Set(report.predictions).size).toBe(3);
    });

    it('the example page starts training when opened: the step, loss, sparsity and weight readouts follow the run', async () => {
      await page.goto(`${origin}/?steps=40`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.getElementById('result')?.textContent !== '', {
        timeout: BROWSER_RUN_LIMIT_MS - 60_000,
      });
      const shown = await page.evaluate(() => ({
        step: document.getElementById('step')?.textContent,
        result: document.getElementById('result')?.textContent ?? '',
        points: document.getElementById('loss-line')?.getAttribute('points')?.split(' ').length,
        dropped: document.getElementById('dropped')?.textContent ?? '',
        exported: document.getElementById('exported')?.textContent ?? '',
        shaded: Array.from(document.querySelectorAll('#weights rect')).map((r) =>
          Number(r.getAttribute('fill-opacity')),
        ),
      }));
      expect(shown.result).toMatch(/^webgl, 40 steps/);
      expect(shown.step).toBe('40');
      expect(shown.points).toBe(40);
      expect(shown.exported).toMatch(/fresh inputs classified right on \w+/);
      expect(shown.dropped).toMatch(/^after polish and collapse, \d+ of 20 inputs are dropped/);
      // 20 × 16 cells; the informative inputs' rows (0–2) are shaded, exact zeros are white
      expect(shown.shaded).toHaveLength(320);
      expect(Math.max(...shown.shaded.slice(0, 48))).toBeGreaterThan(0.3);
      expect(shown.shaded.filter((o) => o === 0).length).toBeGreaterThan(100);
      expect(pageErrors).toEqual([]);
    });
  },
);
