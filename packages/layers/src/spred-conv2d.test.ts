import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { collapse } from './convert-model.js';
import { SpredConv2D } from './spred-conv2d.js';
import { balancedFactors } from './spred-kernel.js';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
const scalar = (f: () => tf.Tensor) => tf.tidy(() => f().dataSync()[0] as number);

/** A model holding one SpredConv2D on 7 × 7 × 3 images. */
function convModel(structure: 'elementwise' | 'neurons', kappa = 0.01) {
  const layer = new SpredConv2D({
    filters: 4,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    activation: 'relu',
    kappa,
    structure,
    seed: 11,
    inputShape: [7, 7, 3],
  });
  return { layer, model: tfl.sequential({ layers: [layer] }) };
}

describe('SpredConv2D', () => {
  const x = tf.randomNormal([2, 7, 7, 3], 0, 1, 'float32', 3);

  it('computes the plain convolution of its collapsed kernel U ⊙ W, plus bias and activation', async () => {
    const { layer, model } = convModel('elementwise');
    // A non-zero bias, so that the bias is part of what is compared.
    const [u, w] = layer.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
    layer.setWeights([u, w, tf.tensor1d([0.1, -0.2, 0.3, 0.05])]);
    const out = model.predict(x) as tf.Tensor;
    expect(out.shape).toEqual([2, 4, 4, 4]);
    const kernel = tf.mul(u, w) as tf.Tensor4D;
    const expected = tf.relu(
      tf.add(tf.conv2d(x as tf.Tensor4D, kernel, 2, 'same'), tf.tensor1d([0.1, -0.2, 0.3, 0.05])),
    );
    expect(maxDiff(out, expected)).toBeLessThan(1e-6);
    expect(maxDiff(out, tf.zerosLike(out))).toBeGreaterThan(0.1); // not trivially zero
    // collapse gives a plain Conv2D holding that kernel, with the same outputs.
    const plain = await collapse(model);
    expect(plain.layers.map((l) => l.getClassName())).toEqual(['Conv2D']);
    expect(maxDiff(plain.layers[0]!.getWeights()[0] as tf.Tensor, kernel)).toBeLessThan(1e-6);
    expect(maxDiff(plain.predict(x) as tf.Tensor, out)).toBeLessThan(1e-6);
    tf.dispose([out, kernel, expected]);
  });

  it('its penalty κ(‖U‖² + ‖W‖²) is 2κ‖V‖₁ at the balanced factorization', async () => {
    const kappa = 0.01;
    const { layer } = convModel('elementwise', kappa);
    const [u0, w0, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
    const v = tf.mul(u0, w0);
    const penalty = () => scalar(() => tf.addN(layer.losses.map((loss) => loss())));
    // At the paper's init the factors are not balanced: the penalty is above 2κ‖V‖₁.
    const l1 = scalar(() => tf.sum(tf.abs(v)));
    expect(penalty()).toBeGreaterThan(2 * kappa * l1 * 1.1);
    const [u, w] = await balancedFactors(v, 'elementwise');
    layer.setWeights([u, w, bias]);
    expect(maxDiff(layer.kernel(), v)).toBeLessThan(1e-6);
    expect(penalty()).toBeCloseTo(2 * kappa * l1, 5);
    tf.dispose([v, u, w]);
  });

  it("with structure 'neurons' its penalty is 2κ Σ_f ‖V_f‖₂ over the filters at balance", async () => {
    const kappa = 0.02;
    const { layer } = convModel('neurons', kappa);
    const [u0, w0, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
    expect(u0.shape).toEqual([1, 1, 1, 4]); // one scale per filter
    const v = tf.mul(u0, w0);
    const [u, w] = await balancedFactors(v, 'neurons');
    layer.setWeights([u, w, bias]);
    const groupL1 = scalar(() => tf.sum(tf.sqrt(tf.sum(tf.square(v), [0, 1, 2]))));
    const penalty = scalar(() => tf.addN(layer.losses.map((loss) => loss())));
    expect(penalty).toBeCloseTo(2 * kappa * groupL1, 5);
    tf.dispose([v, u, w]);
  });
});
