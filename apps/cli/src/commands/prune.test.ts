import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdx } from '@spredjs/vision';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIO } from '../testing/capture-io.js';

/** A Fashion-MNIST-shaped folder where each class lights its own band of pixels. */
function bandImages(dir: string, prefix: 'train' | 't10k', n: number): void {
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const images = new Uint8Array(n * 28 * 28);
  labels.forEach((c, i) => images.fill(255, i * 784 + c * 78, i * 784 + c * 78 + 78));
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdx([n, 28, 28], images));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdx([n], labels));
}

describe('spred prune', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spred-prune-'));
  bandImages(dir, 'train', 300);
  bandImages(dir, 't10k', 100);

  it('writes curve.tsv (every method: unpruned row and one per threshold), result.json, curve.svg and weights-histogram.svg', async () => {
    const out = join(dir, 'out');
    const io = captureIO();
    const args = [
      'prune',
      '--data',
      dir,
      '--model',
      'mlp',
      '--hidden',
      '32',
      '--kappa',
      '1e-3',
      '--epochs',
      '3',
      '--finetune-epochs',
      '1',
      '--thresholds',
      '1e-3,1e-2',
      '--lr',
      '1e-2',
      '--out',
      out,
    ];
    expect(await runCli(args, io), io.stderr.join('\n')).toBe(0);
    const rows = readFileSync(join(out, 'curve.tsv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('method\tthreshold\tcompression\taccuracy\tflops\tflopCompression');
    const cells = rows.slice(1).map((r) => r.split('\t'));
    for (const method of ['spred', 'magnitude', 'random', 'snip', 'synflow', 'grasp', 'lottery'])
      expect(cells.filter((c) => c[0] === method).map((c) => c[1])).toEqual([
        '',
        'certified',
        '0.001',
        '0.01',
      ]);
    const unpruned = cells.filter((c) => c[1] === '');
    expect(unpruned.every((c) => c[2] === '1')).toBe(true);
    const spred = cells.find((c) => c[0] === 'spred' && c[1] === '0.01') as string[];
    expect(Number(spred[2])).toBeGreaterThan(1);
    expect(Number(spred[3])).toBeGreaterThan(0.5); // bands are easy; chance is 0.1
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      complete: boolean;
      parameters: number;
      augment: boolean;
      points: { layers: { sparsity: number }[] }[];
    };
    expect(result).toMatchObject({
      complete: true,
      parameters: 784 * 32 + 32 + 32 * 10 + 10,
      augment: false,
    });
    expect(result.points).toHaveLength(28);
    expect(result.points[1]?.layers).toHaveLength(2);
    expect(readFileSync(join(out, 'curve.svg'), 'utf8')).toMatch(/^<svg/);
    expect(io.stderr.join('\n')).toMatch(/backend: /);
    // The paper's Figure 5 (left): spred's training piles the largest layer's weights at zero.
    const histogram = readFileSync(join(out, 'weights-histogram.svg'), 'utf8');
    expect(histogram).toMatch(/^<svg/);
    expect(histogram).toMatch(/spred κ=0\.001/);
    expect(histogram).toMatch(/dense \(plain training\)/);
    const { weightsHistogram } = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      weightsHistogram: {
        layer: string;
        rows: { series: string; center: number; count: number }[];
      };
    };
    expect(weightsHistogram.layer).toMatch(/^dense_Dense\d+$/);
    const atZero = (series: string) =>
      weightsHistogram.rows.find((r) => r.series === series && r.center === 0)?.count ?? 0;
    const all = (series: string) =>
      weightsHistogram.rows.filter((r) => r.series === series).reduce((n, r) => n + r.count, 0);
    expect(all('spred κ=0.001')).toBe(784 * 32);
    expect(all('dense (plain training)')).toBe(784 * 32);
    expect(atZero('spred κ=0.001')).toBeGreaterThan(3 * atZero('dense (plain training)'));
    expect(io.stderr.join('\n')).toMatch(
      /mlp \(25450 parameters\) on fashion-mnist: 300 training, 100 test images/,
    );
  });

  it('runs --methods synflow,grasp with --min-per-layer: every kernel keeps at least m weights', async () => {
    const out = join(dir, 'out-floor');
    const io = captureIO();
    const args = [
      'prune',
      '--data',
      dir,
      '--model',
      'mlp',
      '--hidden',
      '16',
      '--epochs',
      '1',
      '--no-certified',
    ];
    const rest = ['--finetune-epochs', '0', '--methods', 'spred,synflow,grasp'];
    const floor = ['--compressions', '2000', '--min-per-layer', '4', '--out', out];
    expect(await runCli([...args, ...rest, ...floor], io), io.stderr.join('\n')).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      minimumPerLayer: number;
      points: { method: string; threshold: number | null; layers: { kept: number }[] }[];
    };
    expect(result.minimumPerLayer).toBe(4);
    const pruned = result.points.filter((p) => p.threshold !== null);
    expect(pruned.map((p) => p.method)).toEqual(['spred', 'synflow', 'grasp']);
    const fewest = pruned.map((p) => Math.min(...p.layers.map((l) => l.kept)));
    for (const [i, p] of pruned.entries()) expect(fewest[i], p.method).toBeGreaterThanOrEqual(4);
    expect(fewest).toContain(4); // the floor is what holds some layer up
  });

  it('runs --kappas a,b: front.tsv (every point with its κ), result.json with the fronts, front.svg; a rerun resumes from out/kappas/', async () => {
    const out = join(dir, 'out-front');
    const args = ['prune', '--data', dir, '--model', 'mlp', '--hidden', '16', '--epochs', '2'];
    const rest = [
      '--finetune-epochs',
      '1',
      '--methods',
      'spred,magnitude,lottery',
      '--lr',
      '1e-2',
      '--no-certified',
    ];
    const front = ['--kappas', '1e-3,1e-2', '--compressions', '5,20', '--out', out];
    const io = captureIO();
    expect(await runCli([...args, ...rest, ...front], io), io.stderr.join('\n')).toBe(0);
    const rows = readFileSync(join(out, 'front.tsv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('method\tkappa\tthreshold\tcompression\taccuracy\tflops\tflopCompression');
    const cells = rows.slice(1).map((r) => r.split('\t'));
    for (const kappa of ['0.001', '0.01']) {
      const spred = cells.filter((c) => c[0] === 'spred' && c[1] === kappa);
      expect(spred.map((c) => c[2] === '')).toEqual([true, false, false]);
      expect(cells.filter((c) => c[0] === 'lottery' && c[1] === kappa)).toHaveLength(2);
    }
    const magnitude = cells.filter((c) => c[0] === 'magnitude');
    expect(magnitude.map((c) => [c[1], c[2] === ''])).toEqual([
      ['', true],
      ['', false],
      ['', false],
    ]);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      complete: boolean;
      kappas: number[];
      compressions: number[];
      fronts: Record<string, { compression: number; accuracy: number }[]>;
      points: unknown[];
    };
    expect(result).toMatchObject({ complete: true, kappas: [1e-3, 1e-2], compressions: [5, 20] });
    expect(result.points).toHaveLength(cells.length);
    expect(Object.keys(result.fronts).sort()).toEqual(['lottery', 'magnitude', 'spred']);
    for (const points of Object.values(result.fronts)) {
      const cs = points.map((p) => p.compression);
      expect(cs).toEqual([...cs].sort((a, b) => a - b));
      // Along a front, more compression costs accuracy: never both better.
      for (let i = 1; i < points.length; i++)
        expect(points[i]?.accuracy).toBeLessThan(points[i - 1]?.accuracy as number);
    }
    const svg = readFileSync(join(out, 'front.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/dashed: dense model/);
    const histogram = readFileSync(join(out, 'weights-histogram.svg'), 'utf8');
    for (const series of [/spred κ=0\.001/, /spred κ=0\.01/, /dense \(plain training\)/])
      expect(histogram).toMatch(series);
    expect(readdirSync(join(out, 'kappas')).sort()).toEqual([
      'front.json',
      'kappa-0.001.json',
      'kappa-0.01.json',
    ]);
    const mtimes = () =>
      ['kappa-0.001.json', 'kappa-0.01.json'].map((f) => statSync(join(out, 'kappas', f)).mtimeMs);
    const saved = mtimes();
    // The same command again reads both κ back: the same rows, nothing trained.
    const again = captureIO();
    expect(await runCli([...args, ...rest, ...front], again), again.stderr.join('\n')).toBe(0);
    expect(readFileSync(join(out, 'front.tsv'), 'utf8').trim().split('\n')).toEqual(rows);
    expect(mtimes()).toEqual(saved);
    // Another configuration in the same --out is refused.
    const other = captureIO();
    const changed = [...args.slice(0, -1), '3', ...rest, ...front];
    expect(await runCli(changed, other)).toBe(2);
    expect(other.stderr.join('\n')).toMatch(
      /holds κ runs of a different configuration \(epochs 2 → 3\)/,
    );
  });

  it('runs --model lenet5 (conv 6 and 16 filters of 5×5, then 120-84-10) with --structure neurons, reporting FLOPs', async () => {
    const out = join(dir, 'out-lenet5');
    const io = captureIO();
    const args = [
      'prune',
      '--data',
      dir,
      '--model',
      'lenet5',
      '--methods',
      'spred,magnitude',
      '--no-certified',
    ];
    const rest = ['--epochs', '1', '--finetune-epochs', '0', '--thresholds', '1e-2,1e9'];
    const neurons = ['--structure', 'neurons', '--kappa', '1e-2'];
    const small = ['--train-samples', '100', '--test-samples', '50', '--out', out];
    expect(await runCli([...args, ...rest, ...neurons, ...small], io), io.stderr.join('\n')).toBe(
      0,
    );
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      model: string;
      parameters: number;
      points: { method: string; layers: unknown[]; flops: number; flopCompression: number }[];
    };
    expect(result).toMatchObject({ model: 'lenet5', parameters: 61_706 });
    // A threshold above every group norm empties the model: the baselines have no such point.
    expect(result.points.map((p) => p.method)).toEqual([
      'spred',
      'magnitude',
      'spred',
      'magnitude',
      'spred',
    ]);
    expect(result.points[0]?.layers).toHaveLength(5);
    const dense = 5 * 5 * 6 * 28 * 28 + 5 * 5 * 6 * 16 * 10 * 10 + 400 * 120 + 120 * 84 + 84 * 10;
    expect(result.points[0]).toMatchObject({ flops: dense, flopCompression: 1 });
    const spred = result.points.filter((p) => p.method === 'spred');
    expect(spred[1]?.flopCompression).toBeGreaterThanOrEqual(1);
    expect(spred[1]?.flops).toBeCloseTo(dense / (spred[1]?.flopCompression ?? 1), 6);
    expect(spred[2]?.flops).toBe(0);
    const rows = readFileSync(join(out, 'curve.tsv'), 'utf8').trim().split('\n');
    expect(rows[1]?.split('\t').slice(4)).toEqual([String(dense), '1']);
  });

  it('runs a ResNet on CIFAR-10 binary batches, with crop/flip augmentation on by default', async () => {
    const cifar = mkdtempSync(join(tmpdir(), 'spred-prune-cifar-'));
    const batch = (n: number) => {
      const bytes = Buffer.alloc(n * 3073);
      for (let r = 0; r < n; r++) {
        bytes[r * 3073] = r % 10;
        bytes.fill(40 + 20 * (r % 10), r * 3073 + 1, (r + 1) * 3073);
      }
      return bytes;
    };
    for (let i = 1; i <= 5; i++) writeFileSync(join(cifar, `data_batch_${i}.bin`), batch(8));
    writeFileSync(join(cifar, 'test_batch.bin'), batch(20));
    const out = join(cifar, 'out');
    const io = captureIO();
    const args = [
      'prune',
      '--dataset',
      'cifar10',
      '--data',
      cifar,
      '--model',
      'resnet8',
      '--no-certified',
    ];
    const rest = ['--methods', 'spred,magnitude', '--epochs', '1', '--finetune-epochs', '1'];
    expect(
      await runCli(
        [...args, ...rest, '--compressions', '5', '--batch-size', '16', '--out', out],
        io,
      ),
      io.stderr.join('\n'),
    ).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      augment: boolean;
      trainSamples: number;
      points: { method: string; compression: number }[];
    };
    expect(result).toMatchObject({ augment: true, trainSamples: 40 });
    expect(result.points.map((p) => p.method)).toEqual([
      'spred',
      'magnitude',
      'spred',
      'magnitude',
    ]);
    expect(result.points[2]?.compression).toBeCloseTo(5, 0);
  });

  it('reports bad input with exit code 2 and a message naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['--data', dir, '--methods', 'spred,obd'], /unknown method 'obd'/],
      [['--data', dir, '--min-per-layer', '-1'], /expected a whole number ≥ 0, got '-1'/],
      [
        ['--data', dir, '--thresholds', '1e-3', '--compressions', '10'],
        /give --thresholds or --compressions, not both/,
      ],
      [
        ['--data', dir, '--kappa', '1e-3', '--kappas', '1e-3,1e-2', '--compressions', '10'],
        /give --kappa or --kappas, not both/,
      ],
      [['--data', dir, '--kappas', '1e-3,1e-2'], /--kappas needs --compressions/],
      [
        ['--data', dir, '--kappas', '1e-3,0'],
        /expected comma-separated positive numbers, got '1e-3,0'/,
      ],
      [
        ['--data', dir, '--kappas', '1e-3,1e-3', '--compressions', '10'],
        /--kappas lists 0.001 twice/,
      ],
      [['--data', join(dir, 'nope')], /nope: no such folder/],
      [['--data', dir, '--kappa', '-1'], /expected a positive number, got '-1'/],
      [['--data', dir, '--finetune-epochs', '1.5'], /expected a whole number ≥ 0, got '1.5'/],
      [
        ['--data', dir, '--model', 'vgg'],
        /--model vgg: not a built-in model \(resnet8, resnet20, resnet18, mlp, lenet5\) and no such file or folder/,
      ],
      [['--data', dir, '--dataset', 'cifar10'], /no data_batch_1\.bin/],
    ];
    for (const [args, message] of cases) {
      const io = captureIO();
      expect(await runCli(['prune', ...args], io), args.join(' ')).toBe(2);
      expect(io.stderr.join('\n')).toMatch(message);
    }
  });
});
