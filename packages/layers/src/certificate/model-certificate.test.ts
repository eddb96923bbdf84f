import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
import { describe, expect, it } from 'vitest';
import { collapse, spredify } from '../convert-model.js';
import { l1Stationarity, polish } from './model-certificate.js';

/**
 * y = Xw + b + noise on 16 rows of the Sylvester–Hadamard matrix (XᵀX = 16·I, centred columns):
 * under tfjs's mean squared error (1/n)‖y − Xw − b‖² plus 2κ‖w‖₁ the answer is w = S(Xᵀy/n, κ),
 * b = mean(y).
 */
function orthogonalRegression(kappa: number) {
  const [n, d] = [16, 6];
  const sign = (i: number, j: number) => {
    let bits = i & (j + 1);
    let parity = 0;
    for (; bits > 0; bits >>= 1) parity ^= bits & 1;
    return parity === 0 ? 1 : -1;
  };
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => sign(i, j)));
  const truth = [1.5, -0.8, 0, 0.05, 0, -0.3];
  const targets = rows.map(
    (r, i) => r.reduce((s, v, j) => s + v * (truth[j] as number), 0.4) + 0.02 * Math.sin(7 * i),
  );
  const z = truth.map(
    (_, j) => rows.reduce((s, r, i) => s + (r[j] as number) * (targets[i] as number), 0) / n,
  );
  const answer = z.map((c) => Math.sign(c) * Math.max(0, Math.abs(c) - kappa));
  const intercept = targets.reduce((a, b) => a + b, 0) / n;
  return { x: tf.tensor2d(rows), y: tf.tensor2d(targets, [n, 1]), answer, intercept, d };
}

async function linearModel(d: number, kappa: number, seed: number) {
  const plain = tfl.sequential({
    layers: [tfl.layers.dense({ units: 1, inputShape: [d], name: 'linear' })],
  });
  const model = await spredify(plain, { kappa, weights: 'reinitialize', seed });
  plain.dispose();
  return model;
}

const weightsOf = async (model: tfl.LayersModel) =>
  Promise.all(model.getWeights().map((w) => w.data()));

describe('certified sparsity for tfjs-layers models', () => {
  it('polish after model.fit with Adam reaches the exact lasso answer (soft threshold), zeros exact', async () => {
    const kappa = 0.1;
    const { x, y, answer, intercept, d } = orthogonalRegression(kappa);
    const model = await linearModel(d, kappa, 1);
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 40, batchSize: 4, verbose: 0 });
    const before = await l1Stationarity(model, { x, y });
    expect(before.certified).toBe(false);
    const result = await polish(model, { x, y, tol: 1e-5 });
    expect(result.stopReason).toBe('certified');
    const zeros = answer.filter((a) => a === 0).length;
    expect(result.certificate).toMatchObject({ certified: true, zeros, certifiedZeros: zeros });
    expect(result.certificate.terms.map((t) => t.name)).toEqual(['linear']);
    const deployed = await collapse(model, { x, y });
    const [kernel, bias] = deployed.getWeights() as [tf.Tensor, tf.Tensor];
    const w = Array.from(await kernel.data());
    answer.forEach((a, j) => {
      expect(w[j]).toBeCloseTo(a, 5);
      expect(w[j] === 0).toBe(a === 0);
    });
    expect((await bias.data())[0]).toBeCloseTo(intercept, 5);
    // the collapsed plain model computes what the polished spred model computes
    const diff = tf.tidy(() =>
      tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, deployed.predict(x) as tf.Tensor))),
    );
    expect((await diff.data())[0]).toBeLessThan(1e-5);
    tf.dispose([x, y, diff]);
    model.dispose();
    deployed.dispose();
  });

  it('l1Stationarity leaves every weight as it was and names the layers', async () => {
    const { x, y, d } = orthogonalRegression(0.1);
    const model = await linearModel(d, 0.1, 2);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const before = await weightsOf(model);
    const certificate = await l1Stationarity(model, { x, y, batchSize: 5 });
    expect(await weightsOf(model)).toEqual(before);
    expect(certificate.terms[0]).toMatchObject({ name: 'linear', groups: d, zeros: 0 });
    // at a random start nothing is stationary; the intercept's gradient is not zero either
    expect(certificate.maxViolation).toBeGreaterThan(0.1);
    expect(certificate.freeGradient).toBeGreaterThan(0);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('collapse({ x, y }) zeroes only what is certified, with no threshold: a hovering weight is zeroed, a true one kept', async () => {
    const kappa = 0.1;
    const { x, y, answer, d } = orthogonalRegression(kappa);
    const model = await linearModel(d, kappa, 3);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await polish(model, { x, y, tol: 1e-6 });
    // Move the zeros a little off zero, as a noisy optimizer leaves them, and one true weight a
    // little: the data form puts the zeros back exactly and keeps every true weight.
    const [u, w, b] = model.layers[0]!.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
    const v = Array.from(await tf.mul(u, w).data());
    const hovering = v.map((c, j) =>
      c === 0 ? 1e-3 * (j % 2 === 0 ? 1 : -1) : j === 3 ? c * 1.01 : c,
    );
    const kernel = tf.tensor2d(hovering, [d, 1]);
    model.layers[0]!.setWeights([tf.onesLike(kernel), kernel, b]);
    const threshold = await collapse(model, { threshold: 1e-4 });
    const certified = await collapse(model, { x, y });
    const read = async (m: tfl.LayersModel) =>
      Array.from(await (m.getWeights()[0] as tf.Tensor).data());
    expect((await read(threshold)).filter((c) => c === 0).length).toBe(0); // a threshold must be guessed
    const zeros = (await read(certified)).map((c) => c === 0);
    expect(zeros).toEqual(answer.map((a) => a === 0));
    tf.dispose([x, y, kernel]);
    for (const m of [model, threshold, certified]) m.dispose();
  });

  it('certifies a trained network, keeps both inputs of an interaction and collapses to exactly its zeros', async () => {
    // the class is sign(x0·x1): no linear model sees x0 or x1; 6 more inputs are noise
    const n = 512;
    const xs = tf.randomNormal([n, 8], 0, 1, 'float32', 11);
    const data = await xs.data();
    const labels = Array.from({ length: n }, (_, i) =>
      (data[8 * i] as number) * (data[8 * i + 1] as number) > 0 ? 1 : 0,
    );
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    const plain = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 16,
          inputShape: [8],
          activation: 'tanh',
          name: 'inputs',
          kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }),
        }),
        tfl.layers.dense({
          units: 2,
          activation: 'softmax',
          kernelRegularizer: tfl.regularizers.l2({ l2: 1e-3 }),
          kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }),
        }),
      ],
    });
    plain.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    await plain.fit(xs, y, { epochs: 100, batchSize: 32, verbose: 0 });
    // sparsify the trained model: same outputs, then fine-tune with the group penalty on inputs
    const model = await spredify(plain, { kappa: { inputs: 0.01 }, structure: 'inputs' });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    await model.fit(xs, y, { epochs: 30, batchSize: 32, verbose: 0 });
    const result = await polish(model, { x: xs, y, maxIterations: 3000 });
    expect(result.before.maxViolation).toBeGreaterThan(0.1);
    expect(result.certificate.certified).toBe(true);
    expect(result.certificate.maxViolation).toBeLessThanOrEqual(1e-3);
    const rowNorms = async (kernel: tf.Tensor) => {
      const k = Array.from(await kernel.data());
      return Array.from({ length: 8 }, (_, i) => Math.hypot(...k.slice(16 * i, 16 * i + 16)));
    };
    const [u, w] = model.layers[0]!.getWeights() as [tf.Tensor, tf.Tensor];
    const polished = await rowNorms(tf.mul(u, w));
    const deployed = await collapse(model, { x: xs, y });
    const collapsed = await rowNorms(deployed.getWeights()[0] as tf.Tensor);
    expect(collapsed.map((r) => r === 0)).toEqual(polished.map((r) => r === 0));
    expect(collapsed[0]).toBeGreaterThan(0.5);
    expect(collapsed[1]).toBeGreaterThan(0.5);
    expect(result.certificate.zeros).toBe(collapsed.filter((r) => r === 0).length);
    tf.dispose([xs, y]);
    for (const m of [plain, model, deployed]) m.dispose();
  });

  it('refuses bad input with one line that says what was expected, and changes nothing', async () => {
    const { x, y, d } = orthogonalRegression(0.1);
    const model = await linearModel(d, 0.1, 4);
    await expect(l1Stationarity(model, { x, y })).rejects.toThrow(/the model is not compiled/);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const before = await weightsOf(model);
    await expect(polish(model, { x: tf.zeros([16, 5]), y })).rejects.toThrow(
      /x has shape \[16, 5\] but the model's input 0 expects \[n, 6\]/,
    );
    await expect(polish(model, { x, y: tf.zeros([15, 1]) })).rejects.toThrow(
      /y has 15 samples but x has 16/,
    );
    const bad = tf.tensor2d(
      Array.from({ length: 96 }, (_, i) => (i === 7 ? Number.NaN : 1)),
      [16, 6],
    );
    await expect(polish(model, { x: bad, y })).rejects.toThrow(/x has NaN or Infinity values/);
    await expect(polish(model, { x, y: tf.zeros([16, 3]) })).rejects.toThrow(
      /y has shape \[16, 3\] but the model's output 0 has shape \[n, 1\]/,
    );
    expect(await weightsOf(model)).toEqual(before);
    const plain = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [d] })] });
    plain.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(polish(plain, { x, y })).rejects.toThrow(/no trainable spred layer/);
    tf.dispose([x, y, bad]);
    model.dispose();
    plain.dispose();
  });

  it('reads only with await data(), so polish and collapse run where synchronous reads throw', async () => {
    const run = async () => {
      const { x, y, d } = orthogonalRegression(0.1);
      const model = await linearModel(d, 0.1, 5);
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const result = await polish(model, { x, y, tol: 1e-4 });
      const deployed = await collapse(model, { x, y });
      const kernel = Array.from(await (deployed.getWeights()[0] as tf.Tensor).data());
      tf.dispose([x, y]);
      model.dispose();
      deployed.dispose();
      return { stop: result.stopReason, kernel };
    };
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(run);
    expect(asyncOnly).toEqual(cpu);
    expect(cpu.stop).toBe('certified');
  });
});
