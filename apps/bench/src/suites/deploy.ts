import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadModel, saveModel } from '@spredjs/io';
import { loadSparseModel } from '@spredjs/layers';
import {
  channelStats,
  evaluateAccuracyAsync,
  imageTensors,
  lenet5,
  mlp,
  readImageFolder,
} from '@spredjs/vision';
import { facetedLineChart } from '../figures/faceted-line-chart.js';
import { renderVegaLiteSvg } from '../figures/render-svg.js';
import type { BenchSuite, CaseResult, SuiteContext, SuiteOutcome } from '../harness/suite.js';
import { timeInterleaved } from '../harness/timing.js';
import { timeInChromium, type ModelPair } from '../browser/chromium-timing.js';
import { timeWholeProcess } from '../harness/whole-process.js';
import { FASHION_MNIST } from '../problems/fashion-mnist.js';

/** The built `spred` command of this checkout: what a user runs. */
const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));

/** One network of the suite and how `spred prune` trains it. */
interface DeployTask {
  readonly model: string;
  /** `spred prune`'s model flags. */
  readonly flags: readonly string[];
  readonly build: () => tfl.LayersModel;
  readonly kappa: number;
  /** κ of the `--structure neurons` runs, one run each. */
  readonly neuronKappas: readonly number[];
  readonly epochs: number;
  readonly finetuneEpochs: number;
  readonly trainSamples: number;
  readonly testSamples: number;
}

const mnistShape: [number, number, number] = [28, 28, 1];
/** The elementwise targets: compression of the Dense/Conv2D kernels. */
const COMPRESSIONS = [10, 100, 1000] as const;
/** The structured (`--structure neurons`) points: thresholds on a unit's group norm. */
const NEURON_THRESHOLDS = [0.1, 0.15, 0.2] as const;

function tasks(quick: boolean): DeployTask[] {
  const size = quick
    ? { epochs: 1, finetuneEpochs: 1, trainSamples: 1000, testSamples: 500 }
    : { epochs: 6, finetuneEpochs: 2, trainSamples: 10_000, testSamples: 10_000 };
  return [
    {
      model: 'lenet-300-100',
      flags: ['--model', 'mlp', '--hidden', '300,100'],
      build: () => mlp({ inputShape: mnistShape, hidden: [300, 100], classes: 10, seed: 0 }),
      kappa: 1e-4,
      neuronKappas: [1e-2, 3e-2],
      ...size,
    },
    {
      model: 'lenet-5',
      flags: ['--model', 'lenet5'],
      build: () => lenet5({ inputShape: mnistShape, classes: 10, seed: 0 }),
      kappa: 1e-4,
      neuronKappas: [1e-2, 3e-2],
      ...size,
    },
  ];
}

/** One `spred prune --export` run of a task: its structure and κ. */
interface Run {
  readonly structure: 'elementwise' | 'neurons';
  readonly kappa: number;
  /** Its folder under the task's, and the part that selects it (`--part elementwise,neurons`). */
  readonly name: string;
}

/** The runs of a task: elementwise at its κ, then neurons at each of its κ. */
function runsOf(task: DeployTask, parts: readonly string[]): Run[] {
  return [
    { structure: 'elementwise' as const, kappa: task.kappa, name: 'elementwise' },
    ...task.neuronKappas.map((kappa) => ({
      structure: 'neurons' as const,
      kappa,
      name: `neurons-k${kappa}`,
    })),
  ].filter((run) => parts.includes(run.structure));
}

/** What `spred prune --export` records of one exported point (export.json). */
interface ExportRecord {
  readonly point: string;
  readonly compression: number;
  readonly flopCompression: number;
  readonly accuracy: number;
  readonly denseWeightBytes: number;
  readonly parameters: number;
  readonly tfjs: {
    readonly weights: { raw: number; gzip: number; brotli: number };
    readonly accuracy: number;
    readonly mismatches: number;
  };
  readonly compact: {
    readonly weights: { raw: number; gzip: number; brotli: number };
    readonly accuracy: number;
    readonly mismatches: number;
  };
}

/** Runs `spred prune … --export` as a user does (the built binary); returns its exports. */
function pruneAndExport(
  task: DeployTask,
  run: Run,
  out: string,
  log: (line: string) => void,
): { exports: ExportRecord[]; seconds: number } {
  const points =
    run.structure === 'elementwise'
      ? ['--kappa', String(run.kappa), '--compressions', COMPRESSIONS.join(',')]
      : [
          '--kappa',
          String(run.kappa),
          '--structure',
          'neurons',
          '--thresholds',
          NEURON_THRESHOLDS.join(','),
        ];
  const args = [
    CLI,
    'prune',
    '--dataset',
    'fashion-mnist',
    '--data',
    FASHION_MNIST,
    ...task.flags,
    ...points,
    '--methods',
    'spred',
    '--no-certified',
    '--epochs',
    String(task.epochs),
    '--finetune-epochs',
    String(task.finetuneEpochs),
    '--train-samples',
    String(task.trainSamples),
    '--test-samples',
    String(task.testSamples),
    '--export',
    '--out',
    out,
  ];
  log(`deploy: ${task.model} ${run.name}: spred prune … --export --out ${out}`);
  const seconds = timeWholeProcess({ command: process.execPath, args }, 3 * 3600);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
    exports: ExportRecord[];
  };
  return { exports: result.exports, seconds };
}

/** The test images exactly as `spred prune` saw them (standardized with its training stats). */
function testImages(task: DeployTask): { x: tf.Tensor; labels: Int32Array } {
  const train = readImageFolder('fashion-mnist', FASHION_MNIST, 'train');
  const test = readImageFolder('fashion-mnist', FASHION_MNIST, 'test');
  const stats = channelStats(train, Math.min(task.trainSamples, train.count));
  const t = imageTensors(test, { classes: 10, count: task.testSamples, stats });
  t.y.dispose();
  return { x: t.x, labels: t.labels };
}

/** Median ms per image of the dense and the exported model, interleaved, batch `batch`. */
async function inferenceMs(
  dense: tfl.LayersModel,
  pruned: tfl.LayersModel,
  x: tf.Tensor,
  batch: number,
  quick: boolean,
): Promise<{ denseMs: number; prunedMs: number }> {
  const input = tf.slice(x, 0, Math.min(batch, x.shape[0] as number));
  const step = (model: tfl.LayersModel) => async () => {
    const y = model.predict(input) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  const { aMs, bMs } = await timeInterleaved(step(dense), step(pruned), {
    warmup: 2,
    blocks: quick ? 3 : 7,
    stepsPerBlock: batch === 1 ? 20 : 2,
  });
  input.dispose();
  const n = input.shape[0] as number;
  return { denseMs: aMs / n, prunedMs: bMs / n };
}

/**
 * Suite `deploy`: a smaller model out. LeNet-300-100 and LeNet-5 on Fashion-MNIST, pruned by
 * `spred prune --export` (the built binary, as a user runs it): elementwise at 10×, 100× and
 * 1000×, and `--structure neurons` at two κ and three group-norm thresholds each. For every export: bytes of
 * the dense tfjs weights (float32), of the pruned tfjs weights (raw, gzip -9, brotli) and of the
 * compact format (raw, gzip); the accuracy of each reloaded export on the test images, checked
 * again here (independently of the CLI's own check); inference time per image, dense vs the
 * export, in Node on this process's backend (batch 1 and batch 1,000, interleaved, medians).
 * κ = 1e-4 (elementwise) is from the `prune` suite's fronts; κ = 1e-2, 3e-2 and the thresholds
 * 0.1, 0.15, 0.2 (neurons) were chosen on LeNet-300-100 trained on the first 3,000 training
 * images and checked on the first 1,000 test images, for a spread of FLOP reductions, not for
 * accuracy. `--part elementwise` or `--part neurons` runs one kind.
 */
export const deploySuite: BenchSuite = {
  name: 'deploy',
  description:
    'spred prune --export on LeNet-300-100 and LeNet-5 (Fashion-MNIST): bytes of dense, pruned tfjs and compact exports; reloaded accuracy; inference time',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build apps/cli (pnpm build)`);
    if (
      !existsSync(join(FASHION_MNIST, 't10k-images-idx3-ubyte.gz')) &&
      !existsSync(join(FASHION_MNIST, 't10k-images-idx3-ubyte'))
    )
      throw new Error(`no Fashion-MNIST at ${FASHION_MNIST} (set SPRED_FASHION_MNIST)`);
    const root = join(context.outDir ?? join(process.cwd(), 'bench-results'), 'deploy');
    mkdirSync(root, { recursive: true });
    const cases: CaseResult[] = [];
    const pairs: { pair: ModelPair; row: number }[] = [];
    for (const task of tasks(context.quick)) {
      const test = testImages(task);
      const dense = task.build();
      const denseDir = join(root, task.model, 'dense');
      await saveModel(dense, denseDir); // for the browser timing
      try {
        for (const run of runsOf(task, context.parts ?? ['elementwise', 'neurons'])) {
          const out = join(root, task.model, run.name);
          const { exports, seconds } = pruneAndExport(task, run, out, context.log);
          context.log(`deploy: ${task.model} ${run.name}: ${seconds.toFixed(0)} s`);
          for (const record of exports) {
            const folder = join(out, 'export', record.point);
            // the browser times the structured exports, and the 10× elementwise one for reference
            if (run.structure === 'neurons' || record.point === 'c10')
              pairs.push({ pair: { dense: denseDir, pruned: folder }, row: cases.length });
            const tfjs = await loadModel(folder);
            const compact = await loadSparseModel(folder).catch((error: unknown) => {
              tfjs.dispose();
              throw error;
            });
            try {
              const tfjsAccuracy = await evaluateAccuracyAsync(tfjs, test.x, test.labels);
              const compactAccuracy = await evaluateAccuracyAsync(compact, test.x, test.labels);
              const one = await inferenceMs(dense, tfjs, test.x, 1, context.quick);
              const many = await inferenceMs(dense, tfjs, test.x, 1000, context.quick);
              cases.push({
                model: task.model,
                structure: run.structure,
                kappa: run.kappa,
                point: record.point,
                compression: record.compression,
                flopCompression: record.flopCompression,
                accuracy: record.accuracy,
                tfjsAccuracy,
                compactAccuracy,
                tfjsMismatches: record.tfjs.mismatches,
                compactMismatches: record.compact.mismatches,
                parameters: record.parameters,
                denseBytes: record.denseWeightBytes,
                tfjsBytes: record.tfjs.weights.raw,
                tfjsGzip: record.tfjs.weights.gzip,
                tfjsBrotli: record.tfjs.weights.brotli,
                compactBytes: record.compact.weights.raw,
                compactGzip: record.compact.weights.gzip,
                compactRatio: record.denseWeightBytes / record.compact.weights.raw,
                speedup1: one.denseMs / one.prunedMs,
                speedup1000: many.denseMs / many.prunedMs,
                denseMsPerImage: many.denseMs,
                prunedMsPerImage: many.prunedMs,
              });
            } finally {
              tfjs.dispose();
              compact.dispose();
            }
          }
        }
      } finally {
        dense.dispose();
        tf.dispose([test.x]);
      }
    }
    context.log(`deploy: timing ${pairs.length} exports in headless Chromium (webgl, wasm)`);
    const browser = await timeInChromium(
      pairs.map((p) => p.pair),
      ['wasm', 'webgl'],
      context.quick ? 100 : 1000,
      { blocks: context.quick ? 2 : 5, steps: 1 },
    );
    const rows = cases.map((c) => ({ ...c }));
    pairs.forEach(({ row }, k) => {
      const timing = browser?.[k];
      const target = rows[row];
      if (timing === undefined || target === undefined) return;
      for (const [backend, t] of Object.entries(timing))
        target[`chromium${backend === 'wasm' ? 'Wasm' : 'Webgl'}Speedup`] = t.denseMs / t.prunedMs;
    });
    if (browser === undefined)
      context.log(`deploy: no ${'/usr/bin/chromium'}: the browser timing is skipped`);
    return {
      cases: rows,
      columns: [
        'model',
        'structure',
        'kappa',
        'point',
        'compression',
        'flopCompression',
        'accuracy',
        'tfjsAccuracy',
        'compactAccuracy',
        'denseBytes',
        'tfjsGzip',
        'compactBytes',
        'compactGzip',
        'compactRatio',
        'speedup1000',
        'chromiumWasmSpeedup',
        'chromiumWebglSpeedup',
      ],
      targets: deployTargets(rows),
      figures: [
        {
          file: 'deploy/bytes.svg',
          svg: await renderVegaLiteSvg(bytesChart(cases)),
        },
      ],
    };
  },
};

/**
 * The suite's targets, checked on its rows: the compact format's size against the dense weights
 * (elementwise rows), gzip against gzip, the structured rows' speed against their FLOP reduction
 * (in Node, and in Chromium where timed), and the tfjs exports' predictions.
 *
 * @example
 * ```ts
 * const targets = deployTargets(outcome.cases); // [{ name, met, detail }, …]
 * ```
 */
export function deployTargets(cases: readonly CaseResult[]): NonNullable<SuiteOutcome['targets']> {
  const num = (c: CaseResult, k: string) => c[k] as number;
  const elementwise = cases.filter((c) => c['structure'] === 'elementwise');
  const ratioMet = elementwise.filter((c) => {
    const compression = num(c, 'compression');
    const needed = compression >= 1000 ? 300 : 0.6 * compression;
    return num(c, 'compactRatio') >= needed;
  });
  const gzipMet = cases.filter((c) => num(c, 'compactGzip') <= num(c, 'tfjsGzip'));
  const structured = cases.filter(
    (c) => c['structure'] === 'neurons' && num(c, 'flopCompression') > 1.05,
  );
  const fastEnough = (c: CaseResult, key: string) =>
    num(c, key) >= 0.5 * Math.min(num(c, 'flopCompression'), 10);
  const fast = structured.filter((c) => fastEnough(c, 'speedup1000'));
  const timedInBrowser = structured.filter((c) => typeof c['chromiumWasmSpeedup'] === 'number');
  const fastInBrowser = timedInBrowser.filter(
    (c) => fastEnough(c, 'chromiumWasmSpeedup') && fastEnough(c, 'chromiumWebglSpeedup'),
  );
  const equal = cases.filter(
    (c) => num(c, 'tfjsMismatches') === 0 && num(c, 'tfjsAccuracy') === num(c, 'accuracy'),
  );
  const list = (rows: readonly CaseResult[]) =>
    rows
      .map(
        (c) =>
          `${String(c['model'])} ${c['structure'] === 'neurons' ? `κ=${String(c['kappa'])} ` : ''}${String(c['point'])}`,
      )
      .join(', ');
  return [
    {
      name: 'compact ≥ 0.6·c smaller than the dense tfjs weights at c = 10 and 100, ≥ 300× at 1000×',
      met: ratioMet.length === elementwise.length,
      detail: `${ratioMet.length} of ${elementwise.length} elementwise exports; missed: ${list(elementwise.filter((c) => !ratioMet.includes(c))) || 'none'}`,
    },
    {
      name: 'compact after gzip no larger than the gzipped tfjs-format pruned weights',
      met: gzipMet.length === cases.length,
      detail: `${gzipMet.length} of ${cases.length}`,
    },
    {
      name: 'structured exports ≥ 0.5 × their FLOP reduction faster (Node, batch 1,000)',
      met: structured.length > 0 && fast.length === structured.length,
      detail: `${fast.length} of ${structured.length} structured exports with fewer FLOPs; missed: ${list(structured.filter((c) => !fast.includes(c))) || 'none'}`,
    },
    {
      name: 'structured exports ≥ 0.5 × their FLOP reduction faster in headless Chromium (wasm and webgl, batch 1,000)',
      met: timedInBrowser.length > 0 && fastInBrowser.length === timedInBrowser.length,
      detail: `${fastInBrowser.length} of ${timedInBrowser.length} timed; missed: ${list(timedInBrowser.filter((c) => !fastInBrowser.includes(c))) || 'none'}`,
    },
    {
      name: "every tfjs export's accuracy equals its point's, image for image",
      met: equal.length === cases.length,
      detail: `${equal.length} of ${cases.length}`,
    },
  ];
}

/** Bytes of each format against compression, one panel per model. */
function bytesChart(cases: readonly CaseResult[]) {
  const points = cases
    .filter((c) => c['structure'] === 'elementwise')
    .flatMap((c) =>
      (
        [
          ['dense tfjs', 'denseBytes'],
          ['pruned tfjs', 'tfjsBytes'],
          ['pruned tfjs, gzip -9', 'tfjsGzip'],
          ['pruned tfjs, brotli', 'tfjsBrotli'],
          ['compact', 'compactBytes'],
          ['compact, gzip -9', 'compactGzip'],
        ] as const
      ).map(([format, key]) => ({
        model: c['model'],
        compression: c['compression'],
        format,
        bytes: c[key],
      })),
    );
  return facetedLineChart({
    title: 'deploy: bytes of the weights vs compression (elementwise)',
    points,
    facet: { field: 'model', title: 'model' },
    color: 'format',
    x: { field: 'compression', title: 'compression (kernel weights / kept)', scale: 'log' },
    y: { field: 'bytes', title: 'bytes', scale: 'log', format: '~s' },
  });
}
