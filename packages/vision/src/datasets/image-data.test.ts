import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@spredjs/optim';
import { randomCropFlip } from './augment.js';
import { encodeIdx, type ImageDataset } from './idx.js';
import { channelStats, imageTensors } from './image-tensors.js';
import { readImageFolder } from './read-image-folder.js';

/** Two 2 × 3 RGB images with known pixels. */
const tiny: ImageDataset = {
  images: Uint8Array.from({ length: 2 * 6 * 3 }, (_, i) => (i * 7) % 256),
  labels: Uint8Array.from([1, 0]),
  count: 2,
  height: 2,
  width: 3,
  channels: 3,
};

describe('image tensors', () => {
  it('scales to [0, 1], standardizes per channel with training statistics, one-hot labels', () => {
    const stats = channelStats(tiny);
    const { x, y, labels } = imageTensors(tiny, { classes: 2, stats });
    expect(x.shape).toEqual([2, 2, 3, 3]);
    const values = x.dataSync();
    for (let k = 0; k < 3; k++) {
      const channel = Array.from(values).filter((_, i) => i % 3 === k);
      const mean = channel.reduce((a, b) => a + b, 0) / channel.length;
      const variance = channel.reduce((a, b) => a + (b - mean) ** 2, 0) / channel.length;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 4);
    }
    const raw = imageTensors(tiny, { classes: 2, start: 1, count: 1 });
    expect(raw.x.dataSync()[0]).toBeCloseTo((18 * 7) / 255, 6);
    expect(Array.from(labels)).toEqual([1, 0]);
    expect(y.arraySync()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(() => imageTensors(tiny, { classes: 1 })).toThrow(
      /image 0 has label 1, but the data set has 1 classes/,
    );
    expect(() => imageTensors(tiny, { classes: 2, start: 2 })).toThrow(/no images from 2/);
    tf.dispose([x, y, raw.x, raw.y]);
  });
});

describe('random crop and flip', () => {
  const image = tf.tensor4d(
    Array.from({ length: 2 * 4 * 4 }, (_, i) => i + 1),
    [2, 4, 4, 1],
  );

  it('is seeded, keeps the shape, and without padding only mirrors some images left–right', () => {
    const a = randomCropFlip(image, { padding: 0, seed: 5 });
    const b = randomCropFlip(image, { padding: 0, seed: 5 });
    expect(a.shape).toEqual([2, 4, 4, 1]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const source = image.arraySync();
    const out = a.arraySync();
    out.forEach((img, n) => {
      const same = JSON.stringify(img) === JSON.stringify(source[n]);
      const mirrored =
        JSON.stringify(img) === JSON.stringify(source[n]!.map((row) => [...row].reverse()));
      expect(same || mirrored).toBe(true);
    });
    const flips = Array.from({ length: 20 }, (_, s) => {
      const t = randomCropFlip(image, { padding: 0, seed: s });
      const first = t.arraySync()[0]![0]![0]![0];
      t.dispose();
      return first !== 1;
    });
    expect(flips.filter(Boolean).length).toBeGreaterThan(3);
    expect(flips.filter(Boolean).length).toBeLessThan(17);
    tf.dispose([a, b]);
  });

  it('moves every pixel where the pixel-by-pixel crop and flip puts it, bit for bit', () => {
    const [n, h, w, c, pad] = [3, 5, 6, 3, 2];
    const batch = tf.randomNormal([n, h, w, c], 0, 1, 'float32', 3) as tf.Tensor4D;
    const source = batch.dataSync();
    for (let seed = 0; seed < 5; seed++) {
      // The reference: the draws of randomCropFlip, each output pixel copied from its source.
      const random = mulberry32(seed);
      const expected = new Float32Array(source.length);
      for (let i = 0; i < n; i++) {
        const dy = Math.floor(random() * (2 * pad + 1)) - pad;
        const dx = Math.floor(random() * (2 * pad + 1)) - pad;
        const mirrored = random() < 0.5;
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            const [sy, sx] = [y + dy, (mirrored ? w - 1 - x : x) + dx];
            if (sy < 0 || sy >= h || sx < 0 || sx >= w) continue;
            for (let k = 0; k < c; k++)
              expected[((i * h + y) * w + x) * c + k] = source[((i * h + sy) * w + sx) * c + k]!;
          }
      }
      const out = randomCropFlip(batch, { padding: pad, seed });
      expect(out.shape).toEqual([n, h, w, c]);
      expect(Array.from(out.dataSync())).toEqual(Array.from(expected));
      out.dispose();
    }
    batch.dispose();
  });

  it('with padding, shifts the content by at most the padding and fills with zeros', () => {
    for (let seed = 0; seed < 10; seed++) {
      const shifted = randomCropFlip(image, { padding: 1, flip: false, seed });
      const [img] = shifted.arraySync() as number[][][][];
      const src = image.arraySync()[0] as number[][][];
      // Find the shift that explains the output.
      const explained = [-1, 0, 1].some((dy) =>
        [-1, 0, 1].some((dx) =>
          img!.every((row, y) => row.every(([v], x) => v === (src[y + dy]?.[x + dx]?.[0] ?? 0))),
        ),
      );
      expect(explained, `seed ${seed}`).toBe(true);
      shifted.dispose();
    }
  });
});

describe('image folders', () => {
  it('reads the MNIST layout (t10k for test) and CIFAR-10 batches, and names what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-folder-'));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx([1, 2, 2], [1, 2, 3, 4]));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([1], [9]));
    expect(readImageFolder('fashion-mnist', dir, 'test')).toMatchObject({ count: 1, height: 2 });
    expect(() => readImageFolder('fashion-mnist', dir, 'train')).toThrow(
      /no train-images-idx3-ubyte or train-images\.idx3-ubyte \(also looked for \.gz\)/,
    );
    const cifar = join(dir, 'cifar-10-batches-bin');
    mkdirSync(cifar);
    writeFileSync(join(cifar, 'test_batch.bin'), Buffer.alloc(2 * 3073, 3));
    expect(readImageFolder('cifar10', dir, 'test')).toMatchObject({ count: 2, channels: 3 });
    expect(() => readImageFolder('cifar10', dir, 'train')).toThrow(
      /no data_batch_1\.bin, .*data_batch_5\.bin/,
    );
    expect(() => readImageFolder('cifar100', join(dir, 'nope'), 'train')).toThrow(
      /nope: no such folder/,
    );
  });
});
