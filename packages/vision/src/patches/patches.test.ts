import { describe, expect, it } from 'vitest';
import { extractPatches } from './extract-patches.js';
import { applyZca, fitZca } from './zca-whitening.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { scalePatches, unitMeanSquareScale } from './unit-mean-square.js';
import { preparePatches } from './prepare-patches.js';
import type { GrayImage } from '../images/gray-image.js';

const ramp: GrayImage = {
  width: 3,
  height: 3,
  pixels: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]),
};

describe('patch extraction', () => {
  it('cuts hand-checkable patches and removes each patch’s mean', () => {
    // A 3×3 image has exactly four 2×2 patches; every one of them, minus its mean, is [−2, −1, 1, 2].
    const patches = extractPatches([ramp], { size: 2, count: 10, seed: 3 });
    for (let p = 0; p < 10; p++)
      expect(Array.from(patches.subarray(4 * p, 4 * p + 4))).toEqual([-2, -1, 1, 2]);
    const raw = extractPatches([ramp], { size: 3, count: 1, removeMean: false });
    expect(Array.from(raw)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('is reproducible from a seed', () => {
    const img: GrayImage = {
      width: 20,
      height: 20,
      pixels: Float32Array.from({ length: 400 }, (_, i) => Math.sin(i)),
    };
    expect(extractPatches([img], { size: 4, count: 5, seed: 1 })).toEqual(
      extractPatches([img], { size: 4, count: 5, seed: 1 }),
    );
    expect(extractPatches([img], { size: 4, count: 5, seed: 1 })).not.toEqual(
      extractPatches([img], { size: 4, count: 5, seed: 2 }),
    );
  });

  it('refuses patches larger than every image', () => {
    expect(() => extractPatches([ramp], { size: 4, count: 1 })).toThrow(
      /no image is at least 4×4 pixels/,
    );
  });
});

describe('ZCA whitening', () => {
  it('makes the patch covariance the identity (ε → 0) and keeps the matrix symmetric', () => {
    // Correlated 2-D data: x2 = x1 + small noise.
    const n = 2000;
    const data = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = Math.sin(i * 1.7) * 3;
      data[2 * i] = a;
      data[2 * i + 1] = a + Math.cos(i * 2.3);
    }
    const zca = fitZca(data, 2, { epsilon: 1e-9 });
    expect(zca.matrix[1]).toBeCloseTo(zca.matrix[2] as number, 12);
    const w = applyZca(zca, data);
    const cov: [number, number, number] = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      cov[0] += (w[2 * i] as number) ** 2 / (n - 1);
      cov[1] += ((w[2 * i] as number) * (w[2 * i + 1] as number)) / (n - 1);
      cov[2] += (w[2 * i + 1] as number) ** 2 / (n - 1);
    }
    expect(cov[0]).toBeCloseTo(1, 4);
    expect(cov[1]).toBeCloseTo(0, 4);
    expect(cov[2]).toBeCloseTo(1, 4);
  });

  it('Jacobi eigen-decomposition reproduces a known spectrum', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
    expect(Math.abs(vectors[0] as number)).toBeCloseTo(Math.SQRT1_2, 12);
  });
});

describe('unit mean square scaling', () => {
  it('scales [−2, −1, 1, 2] (mean square 2.5) by 1/√2.5, and says why it cannot scale zeros', () => {
    const x = Float32Array.from([-2, -1, 1, 2]);
    const scale = unitMeanSquareScale(x);
    expect(scale).toBeCloseTo(1 / Math.sqrt(2.5), 12);
    const scaled = scalePatches(x, scale);
    expect(scaled.reduce((s, v) => s + v * v, 0) / 4).toBeCloseTo(1, 6);
    expect(() => unitMeanSquareScale(new Float32Array(4))).toThrow(/positive, finite mean square/);
  });
});

describe('preparePatches', () => {
  it('fits the scale on the training patches only and applies it to the held-out ones', () => {
    const train = Float32Array.from([-2, -1, 1, 2]);
    const heldOut = Float32Array.from([-4, -2, 2, 4]);
    const p = preparePatches(train, 2, { whiten: 'none', scale: true, heldOut });
    expect(p.scale).toBeCloseTo(1 / Math.sqrt(2.5), 12);
    expect(Array.from(p.heldOut)).toEqual(Array.from(p.train, (v) => 2 * v));
    const plain = preparePatches(train, 2, { whiten: 'none', scale: false });
    expect(plain.scale).toBe(1);
    expect(Array.from(plain.train)).toEqual([-2, -1, 1, 2]);
    expect(plain.heldOut).toHaveLength(0);
  });

  it('whitens with a ZCA fitted on the training patches, then scales to unit mean square', () => {
    const img: GrayImage = {
      width: 30,
      height: 30,
      pixels: Float32Array.from({ length: 900 }, (_, i) => Math.sin(i / 7) + Math.cos(i / 3)),
    };
    const train = extractPatches([img], { size: 3, count: 200, seed: 5 });
    const p = preparePatches(train, 9, { whiten: 'zca', scale: true, heldOut: train });
    const zca = fitZca(train, 9);
    const whitened = applyZca(zca, train);
    expect(p.scale).toBeCloseTo(unitMeanSquareScale(whitened), 6);
    expect(p.train.reduce((s, v) => s + v * v, 0) / p.train.length).toBeCloseTo(1, 4);
    expect(Array.from(p.heldOut)).toEqual(Array.from(p.train));
  });
});
