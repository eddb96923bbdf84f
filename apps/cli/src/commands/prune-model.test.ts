import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mulberry32 } from '@spredjs/core';
import { encodeNpy, loadModel, saveModel } from '@spredjs/io';
import { loadSparseModel } from '@spredjs/layers';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIO } from '../testing/capture-io.js';
import type { ExportRecord } from './prune-export.js';

const FEATURES = 6;
const SAMPLES = 300;

/** A user's own classifier, saved as tfjs saves it: 6 inputs → hidden tanh → 3 softmax. */
async function saveUserModel(dir: string, hidden: number): Promise<string> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: hidden,
        activation: 'tanh',
        inputShape: [FEATURES],
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }),
      }),
      tfl.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }),
      }),
    ],
  });
  await saveModel(model, dir);
  model.dispose();
  return join(dir, 'model.json');
}

/** X (float32, 300 × 6) and y (int32): the class is the largest of the first three features. */
function writeData(dir: string): { x: string; y: string } {
  const uniform = mulberry32(7);
  const x = Float32Array.from({ length: SAMPLES * FEATURES }, () => 2 * uniform() - 1);
  const y = Int32Array.from({ length: SAMPLES }, (_, i) => {
    const row = x.subarray(i * FEATURES, i * FEATURES + 3);
    return row.indexOf(Math.max(...row));
  });
  writeFileSync(join(dir, 'X.npy'), encodeNpy([SAMPLES, FEATURES], x));
  writeFileSync(join(dir, 'y.npy'), encodeNpy([SAMPLES], y));
  return { x: join(dir, 'X.npy'), y: join(dir, 'y.npy') };
}

interface PruneResult {
  complete: boolean;
  outputActivation: string;
  points: { method: string; threshold: number | string | null; accuracy: number }[];
  exports: ExportRecord[];
}

describe('spred prune --model (your own saved tfjs model) --x --y --export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spred-prune-model-'));
  let modelPath = '';
  let data = { x: '', y: '' };
  const common = () => [
    '--model',
    modelPath,
    '--x',
    data.x,
    '--y',
    data.y,
    '--methods',
    'spred,magnitude',
    '--epochs',
    '8',
    '--finetune-epochs',
    '1',
    '--batch-size',
    '32',
    '--lr',
    '1e-2',
  ];

  beforeAll(async () => {
    modelPath = await saveUserModel(join(dir, 'user'), 24);
    data = writeData(dir);
  });

  it('prunes it, writes both export formats, and each reloads to the same predictions', async () => {
    const out = join(dir, 'out');
    const io = captureIO();
    const args = [
      'prune',
      ...common(),
      '--kappa',
      '2e-3',
      '--compression',
      '4',
      '--export',
      '--out',
      out,
    ];
    expect(await runCli(args, io), io.stderr.join('\n')).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as PruneResult;
    expect(result).toMatchObject({ complete: true, outputActivation: 'softmax' });
    expect(result.exports.map((e) => e.point)).toEqual(['certified', 'c4']);
    for (const record of result.exports) {
      const folder = join(out, 'export', record.point);
      for (const file of ['model.json', 'weights.bin', 'model.spred.json', 'model.spred.bin'])
        expect(existsSync(join(folder, file)), file).toBe(true);
      const point = result.points.find(
        (p) => p.method === 'spred' && p.threshold === record.threshold,
      );
      // the tfjs export is the pruned model itself: the same class for every held-out sample
      expect(record.tfjs).toMatchObject({ mismatches: 0, accuracy: point?.accuracy });
      expect(record.accuracy).toBe(point?.accuracy);
      // float16 values: the compact export may differ only on near-ties
      expect(record.compact.mismatches).toBeLessThanOrEqual(1);
      expect(record.denseWeightBytes).toBe(4 * (6 * 24 + 24 + 24 * 3 + 3));
      expect(record.compact.weights.raw).toBeLessThan(record.denseWeightBytes / 2);
      expect(JSON.parse(readFileSync(join(folder, 'export.json'), 'utf8'))).toEqual(record);
    }
    const c4 = result.exports[1] as ExportRecord;
    expect(c4.compression).toBeGreaterThanOrEqual(4);
    // the exports are ordinary tfjs models ending in the user's softmax
    const folder = join(out, 'export', 'c4');
    const tfjs = await loadModel(join(folder, 'model.json'));
    const compact = await loadSparseModel(folder);
    const x = tf.randomNormal([5, FEATURES], 0, 1, 'float32', 3);
    const [p, q] = [tfjs.predict(x) as tf.Tensor, compact.predict(x) as tf.Tensor];
    const sums = Array.from(await tf.sum(p, 1).data());
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    const pv = await p.data();
    const qv = await q.data();
    pv.forEach((v, i) => expect(Math.abs(v - (qv[i] as number))).toBeLessThan(5e-3));
    const kernel = tfjs.layers[0]?.getWeights()[0] as tf.Tensor;
    const zeros = (await kernel.data()).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThanOrEqual(0.5 * kernel.size);
    tf.dispose([x, p, q]);
    tfjs.dispose();
    compact.dispose();
    expect(io.stdout.join('\n')).toMatch(/export c4: dense 0\.9 kB → tfjs/);
  });

  it('with --structure neurons, the export is a smaller dense model with the same predictions', async () => {
    const out = join(dir, 'neurons');
    const io = captureIO();
    const args = [
      'prune',
      ...common(),
      '--structure',
      'neurons',
      '--kappa',
      '2e-2',
      '--thresholds',
      '1e-2',
      '--no-certified',
      '--export',
      '--out',
      out,
    ];
    expect(await runCli(args, io), io.stderr.join('\n')).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as PruneResult;
    const record = result.exports[0] as ExportRecord;
    expect(record.point).toBe('t0.01');
    const hidden = record.removed[0];
    expect(hidden?.of).toBe(24);
    expect(hidden?.units).toBeGreaterThan(0);
    const kept = 24 - (hidden?.units ?? 0);
    expect(record.parameters).toBe(6 * kept + kept + kept * 3 + 3);
    expect(record.tfjs.mismatches).toBe(0);
    const shipped = await loadModel(join(out, 'export', 't0.01'));
    expect(shipped.layers[0]?.getWeights()[0]?.shape).toEqual([6, kept]);
    shipped.dispose();
  });

  it('refuses bad input in one line before any training, leaving earlier results untouched', async () => {
    const out = join(dir, 'kept');
    const io0 = captureIO();
    const first = ['prune', ...common(), '--compression', '4', '--no-certified', '--out', out];
    expect(await runCli(first, io0), io0.stderr.join('\n')).toBe(0);
    const before = readFileSync(join(out, 'result.json'), 'utf8');
    writeFileSync(join(dir, 'notes.json'), '{"title": "not a model"}');
    writeFileSync(join(dir, 'X5.npy'), encodeNpy([SAMPLES, 5], new Float32Array(SAMPLES * 5)));
    writeFileSync(
      join(dir, 'y4.npy'),
      encodeNpy(
        [SAMPLES],
        Int32Array.from({ length: SAMPLES }, (_, i) => (i === 17 ? 3 : i % 3)),
      ),
    );
    const flat = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [2, 3] })] });
    await saveModel(flat, join(dir, 'flat'));
    flat.dispose();
    const swap = (flag: string, value: string) => {
      const args = ['prune', ...common(), '--out', out];
      args[args.indexOf(flag) + 1] = value;
      return args;
    };
    const cases: [string[], RegExp][] = [
      [
        swap('--model', join(dir, 'notes.json')),
        /notes\.json is not a tfjs layers model: it has no modelTopology/,
      ],
      [swap('--model', join(dir, 'flat')), /no Dense or Conv2D kernels to prune/],
      [
        swap('--x', join(dir, 'X5.npy')),
        /X5\.npy: a sample has shape \(5\), the model's input is \(6\)/,
      ],
      [
        swap('--y', join(dir, 'y4.npy')),
        /y4\.npy: element 17 is label 3, but the model has 3 classes \(0…2\)/,
      ],
      [swap('--x', join(dir, 'missing.npy')), /missing\.npy: no such file/],
      [
        ['prune', ...common(), '--kappas', '1e-3,1e-2', '--compressions', '4', '--out', out],
        /--kappas trains a built-in --model afresh at each κ; with your own model give one --kappa per run/,
      ],
      [
        ['prune', ...common(), '--out', join(out, 'result.json')],
        /--out .*result\.json: it is a file, not a folder/,
      ],
    ];
    for (const [args, message] of cases) {
      const io = captureIO();
      expect(await runCli(args, io), args.join(' ')).toBe(2);
      expect(io.stderr.join('\n')).toMatch(message);
      // one line: the error, no stack (a backend line may come before it)
      const lines = io.stderr
        .join('\n')
        .split('\n')
        .filter((l) => l.trim() !== '');
      expect(
        lines.filter((l) => !l.startsWith('backend: ')),
        lines.join('\n'),
      ).toHaveLength(1);
    }
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toBe(before);
  });

  it('reads --images (one subfolder of PNGs per class) for a model that takes gray 6×6 images', async () => {
    const images = join(dir, 'images');
    const uniform = mulberry32(3);
    for (const [c, name] of ['circle', 'square', 'tri'].entries()) {
      mkdirSync(join(images, name), { recursive: true });
      for (let k = 0; k < 30; k++) {
        const png = new PNG({ width: 6, height: 6 });
        // class c lights rows 2c and 2c + 1, on noise
        for (let p = 0; p < 36; p++) {
          const v = Math.floor(p / 6) >> 1 === c ? 200 : Math.floor(60 * uniform());
          png.data.set([v, v, v, 255], 4 * p);
        }
        writeFileSync(join(images, name, `${k}.png`), PNG.sync.write(png));
      }
    }
    const model = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [6, 6, 1] }),
        tfl.layers.dense({ units: 8, activation: 'tanh' }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    await saveModel(model, join(dir, 'gray'));
    model.dispose();
    const out = join(dir, 'from-images');
    const io = captureIO();
    const args = [
      'prune',
      '--model',
      join(dir, 'gray'),
      '--images',
      images,
      '--input-scale',
      String(1 / 255),
      '--methods',
      'spred',
      '--epochs',
      '10',
      '--finetune-epochs',
      '1',
      '--batch-size',
      '16',
      '--lr',
      '1e-2',
      '--compression',
      '3',
      '--export',
      '--out',
      out,
    ];
    expect(await runCli(args, io), io.stderr.join('\n')).toBe(0);
    expect(io.stderr.join('\n')).toMatch(/on .*images: 72 training, 18 test images/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as PruneResult & {
      classes: string[];
    };
    expect(result.classes).toEqual(['circle', 'square', 'tri']);
    const c3 = result.exports.find((e) => e.point === 'c3') as ExportRecord;
    expect(c3.tfjs.mismatches).toBe(0);
    expect(c3.accuracy).toBeGreaterThan(0.8);
    const five = tfl.sequential({
      layers: [tfl.layers.flatten({ inputShape: [6, 6, 1] }), tfl.layers.dense({ units: 5 })],
    });
    await saveModel(five, join(dir, 'five'));
    five.dispose();
    const bad = captureIO();
    args[2] = join(dir, 'five');
    expect(await runCli(args, bad)).toBe(2);
    expect(bad.stderr.join('\n')).toMatch(
      /--images .*images: 3 class folders \(circle, square, tri\), but the model has 5 outputs/,
    );
  });
});
