import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { collapse, spredify } from './convert-model.js';
import type { SpredDense } from './spred-dense.js';

function trainedMlp(seed: number): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 16,
        inputShape: [8],
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotNormal({ seed }),
      }),
      tfl.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 1 }),
      }),
    ],
  });
  return model;
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

describe('spredify and collapse', () => {
  const x = tf.randomNormal([32, 8], 0, 1, 'float32', 5);

  it('spredify leaves the outputs unchanged (balanced factorization of the trained kernels)', async () => {
    const model = trainedMlp(1);
    for (const structure of ['elementwise', 'neurons', 'inputs'] as const) {
      const sparse = await spredify(model, { kappa: 1e-3, structure });
      expect(sparse.layers.map((l) => l.getClassName())).toEqual(['SpredDense', 'SpredDense']);
      expect(maxDiff(model.predict(x) as tf.Tensor, sparse.predict(x) as tf.Tensor)).toBeLessThan(
        1e-5,
      );
      // the regularizer is exactly the L1 value: κ(‖U‖² + ‖W‖²) = 2κ‖V‖₁ at the balanced point
      const layer = sparse.layers[0] as SpredDense;
      const [u, w] = layer.getWeights() as [tf.Tensor, tf.Tensor];
      const kernel = model.layers[0]!.getWeights()[0] as tf.Tensor;
      const smooth = tf.tidy(
        () => tf.add(tf.sum(tf.square(u)), tf.sum(tf.square(w))).dataSync()[0] as number,
      );
      const groupAxis = structure === 'neurons' ? 0 : 1;
      const l1 = tf.tidy(
        () =>
          (structure === 'elementwise'
            ? tf.sum(tf.abs(kernel))
            : tf.sum(tf.sqrt(tf.sum(tf.square(kernel), groupAxis)))
          ).dataSync()[0] as number,
      );
      expect(smooth).toBeCloseTo(2 * l1, 3);
    }
  });

  it('collapse gives a plain model with the same outputs (threshold 0) and exact zeros above it', async () => {
    const sparse = await spredify(trainedMlp(2), { kappa: 1e-3 });
    const plain = await collapse(sparse);
    expect(plain.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense']);
    expect(maxDiff(plain.predict(x) as tf.Tensor, sparse.predict(x) as tf.Tensor)).toBeLessThan(
      1e-6,
    );
    const pruned = await collapse(sparse, { threshold: 0.2 });
    const kernel = pruned.layers[0]!.getWeights()[0] as tf.Tensor;
    const values = Array.from(kernel.dataSync());
    expect(values.some((v) => v === 0)).toBe(true);
    expect(values.every((v) => v === 0 || Math.abs(v) > 0.2)).toBe(true);
  });

  it('model.fit trains the spred model unchanged and drives whole neurons to zero with structure "neurons"', async () => {
    const sparse = await spredify(trainedMlp(3), { kappa: 0.05, structure: 'neurons' });
    sparse.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
    const y = tf.oneHot(tf.argMax(tf.slice(x, [0, 0], [32, 3]), 1), 3);
    const history = await sparse.fit(x, y, { epochs: 150, verbose: 0, batchSize: 32 });
    const losses = history.history['loss'] as number[];
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
    const plain = await collapse(sparse, { threshold: 1e-3 });
    const kernel = plain.layers[0]!.getWeights()[0] as tf.Tensor;
    const deadNeurons = tf.tidy(
      () =>
        tf.sum(tf.cast(tf.equal(tf.sum(tf.abs(kernel), 0), 0), 'int32')).dataSync()[0] as number,
    );
    expect(deadNeurons).toBeGreaterThan(0);
    y.dispose();
  });

  it('saves and loads with tfjs’s own model.save / loadLayersModel', async () => {
    const sparse = await spredify(trainedMlp(4), { kappa: 1e-3 });
    let saved: tf.io.ModelArtifacts | undefined;
    await sparse.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(loaded.layers[0]!.getClassName()).toBe('SpredDense');
    expect((loaded.layers[0] as SpredDense).kappa).toBe(1e-3);
    expect(maxDiff(loaded.predict(x) as tf.Tensor, sparse.predict(x) as tf.Tensor)).toBe(0);
  });

  it("weights: 'reinitialize' starts from the paper's init (unit U, He W), seeded, biases kept", async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 128, inputShape: [64], biasInitializer: 'ones' }),
        tfl.layers.dense({ units: 4 }),
      ],
    });
    const options = { kappa: 1e-3, weights: 'reinitialize', seed: 3 } as const;
    const [a, b] = [await spredify(model, options), await spredify(model, options)];
    const [u, w, bias] = a.layers[0]!.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
    const sd = (t: tf.Tensor) => tf.tidy(() => Math.sqrt(tf.moments(t).variance.dataSync()[0]!));
    expect(sd(u)).toBeCloseTo(1, 1);
    expect(sd(w) / Math.sqrt(2 / 64)).toBeGreaterThan(0.8); // He-normal (truncated)
    expect(sd(w) / Math.sqrt(2 / 64)).toBeLessThan(1.1);
    expect(Array.from(bias.dataSync()).every((v) => v === 1)).toBe(true);
    expect(maxDiff(u, b.layers[0]!.getWeights()[0] as tf.Tensor)).toBe(0);
    // not the balanced factorization of the model's kernel
    const balanced = await spredify(model, { kappa: 1e-3 });
    const x64 = tf.randomNormal([8, 64], 0, 1, 'float32', 1);
    expect(
      maxDiff(a.predict(x64) as tf.Tensor, balanced.predict(x64) as tf.Tensor),
    ).toBeGreaterThan(1e-2);
  });

  it('rejects unknown layer names and bad kappa', async () => {
    await expect(spredify(trainedMlp(5), { kappa: 1e-3, include: ['nope'] })).rejects.toThrow(
      /no Dense or Conv2D layer named 'nope'/,
    );
    await expect(spredify(trainedMlp(5), { kappa: -1 })).rejects.toThrow(/must be positive/);
  });
});
