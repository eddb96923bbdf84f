import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mulberry32 } from '@spredjs/optim';
import { tfSeed } from '@spredjs/core';
import { describe, expect, it } from 'vitest';
import { graspMasks, hessianGradientProduct } from './grasp.js';
import { disposeMasks, flatValues, prunableKernels, summarizeMasks } from './masks.js';

/** A tiny ReLU classifier: Dense 6→8 (ReLU) → Dense 8→3, seeded. */
function tinyNet(seed: number, activation: 'relu' | 'tanh' = 'relu'): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [6],
        units: 8,
        activation,
        kernelInitializer: tfl.initializers.heNormal({ seed: tfSeed(seed) }),
        biasInitializer: tfl.initializers.constant({ value: 0.1 }),
      }),
      tfl.layers.dense({
        units: 3,
        kernelInitializer: tfl.initializers.glorotNormal({ seed: tfSeed(seed + 1) }),
      }),
    ],
  });
}

function batch(n: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  const random = mulberry32(seed);
  const x = tf.tensor2d(
    Array.from({ length: n * 6 }, () => 2 * random() - 1),
    [n, 6],
  );
  const labels = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % 3),
    'int32',
  );
  const y = tf.oneHot(labels, 3);
  labels.dispose();
  return { x, y };
}

/** ∇L(θ + εv) − ∇L(θ − εv) over 2ε, written out in the test: the reference for Hv. */
async function centralDifference(
  model: tfl.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  v: readonly tf.Tensor[],
  epsilon: number,
): Promise<Float32Array> {
  const kernels = prunableKernels(model);
  const saved = kernels.map((k) => k.clone());
  const gradAt = async (sign: number) => {
    kernels.forEach((k, i) =>
      tf.tidy(() => k.assign(tf.add(saved[i]!, tf.mul(v[i]!, sign * epsilon)))),
    );
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
      kernels,
    );
    value.dispose();
    const g = kernels.map((k) => grads[k.name]!);
    const flat = await flatValues(g);
    tf.dispose(g);
    return flat;
  };
  const [plus, minus] = [await gradAt(1), await gradAt(-1)];
  kernels.forEach((k, i) => k.assign(saved[i]!));
  tf.dispose(saved);
  return plus.map((p, i) => (p - minus[i]!) / (2 * epsilon));
}

const relativeError = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let [diff, norm] = [0, 0];
  for (let i = 0; i < b.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    norm += b[i]! ** 2;
  }
  return Math.sqrt(diff / norm);
};

describe('GraSP (Wang et al. 2020)', () => {
  it('computes Hg by double backprop on a ReLU network, matching a finite-difference Hessian-vector product', async () => {
    const model = tinyNet(1);
    const { x, y } = batch(16, 2);
    const before = tf.memory().numTensors;
    const { gradient, product, method } = await hessianGradientProduct(model, x, y);
    expect(method).toBe('exact');
    const reference = await centralDifference(model, x, y, gradient, 3e-3);
    expect(relativeError(await flatValues(product), reference)).toBeLessThan(1e-3);
    // The fallback agrees too (looser: it is a difference quotient in float32).
    const fd = await hessianGradientProduct(model, x, y, { hessian: 'finite-difference' });
    expect(fd.method).toBe('finite-difference');
    expect(relativeError(await flatValues(fd.product), reference)).toBeLessThan(1e-2);
    tf.dispose([...gradient, ...product, ...fd.gradient, ...fd.product]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('uses finite differences where tfjs differentiates twice wrongly (tanh reads its saved output)', async () => {
    const model = tinyNet(2, 'tanh');
    const { x, y } = batch(16, 3);
    const { gradient, product, method } = await hessianGradientProduct(model, x, y);
    expect(method).toBe('finite-difference');
    const reference = await centralDifference(model, x, y, gradient, 3e-3);
    expect(relativeError(await flatValues(product), reference)).toBeLessThan(1e-2);
    const forced = await hessianGradientProduct(model, x, y, { hessian: 'exact' });
    expect(relativeError(await flatValues(forced.product), reference)).toBeGreaterThan(1e-2);
    tf.dispose([...gradient, ...product, ...forced.gradient, ...forced.product, x, y]);
    model.dispose();
  });

  it('keeps the total/compression weights with the lowest scores S = −θ ⊙ Hg, and frees what it made', async () => {
    const model = tinyNet(3);
    const { x, y } = batch(24, 4);
    const { gradient, product } = await hessianGradientProduct(model, x, y);
    const theta = await flatValues(prunableKernels(model));
    const hg = await flatValues(product);
    const scores = theta.map((t, i) => -t * hg[i]!);
    tf.dispose([...gradient, ...product]);
    const before = tf.memory().numTensors;
    const masks = await graspMasks(model, x, y, 4);
    expect(tf.memory().numTensors).toBe(before + masks.length);
    const mask = masks.flatMap((m) => Array.from(m.mask.dataSync()));
    expect((await summarizeMasks(masks)).kept).toBe(Math.round((6 * 8 + 8 * 3) / 4));
    const kept = scores.filter((_, i) => mask[i] === 1);
    const pruned = scores.filter((_, i) => mask[i] === 0);
    expect(Math.max(...kept)).toBeLessThanOrEqual(Math.min(...pruned));
    // Not merely the largest |θ ⊙ Hg|: GraSP's sign matters.
    expect(Math.min(...kept)).toBeLessThan(0);
    disposeMasks(masks);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('falls back to finite differences where tfjs has no second-order gradient (Conv2D)', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [5, 5, 1],
          filters: 2,
          kernelSize: 3,
          // Smooth (no ReLU kinks), so two difference quotients of different steps agree.
          activation: 'linear',
          kernelInitializer: tfl.initializers.heNormal({ seed: tfSeed(5) }),
        }),
        tfl.layers.flatten(),
        tfl.layers.dense({
          units: 3,
          kernelInitializer: tfl.initializers.glorotNormal({ seed: tfSeed(6) }),
        }),
      ],
    });
    const random = mulberry32(7);
    const x = tf.tensor4d(
      Array.from({ length: 8 * 25 }, () => random()),
      [8, 5, 5, 1],
    );
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    // (A failed backward pass leaves its taped tensors behind: count after it.)
    await expect(hessianGradientProduct(model, x, y, { hessian: 'exact' })).rejects.toThrow(
      /gradient function not found/,
    );
    const before = tf.memory().numTensors;
    const { gradient, product, method } = await hessianGradientProduct(model, x, y);
    expect(method).toBe('finite-difference');
    const reference = await centralDifference(model, x, y, gradient, 3e-3);
    expect(relativeError(await flatValues(product), reference)).toBeLessThan(1e-2);
    tf.dispose([...gradient, ...product]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
