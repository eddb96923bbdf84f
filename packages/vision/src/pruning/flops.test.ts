import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { collapse, spredify } from '@spredjs/layers';
import { lenet5 } from '../models/lenet5.js';
import { mlp } from '../models/mlp.js';
import { denseConvFlops } from './flops.js';

/** Sets columns `units` of a layer's kernel (and their biases) to zero: those units are pruned. */
function pruneUnits(layer: tfl.layers.Layer, units: readonly number[]): void {
  const [kernel, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor];
  const out = kernel.shape[kernel.shape.length - 1] as number;
  const keep = tf.tensor1d(Array.from({ length: out }, (_, j) => (units.includes(j) ? 0 : 1)));
  const k = tf.mul(kernel, keep);
  const b = tf.mul(bias, keep);
  layer.setWeights([k, b]);
  tf.dispose([keep, k, b]);
}

describe('denseConvFlops (multiply-adds of Dense and Conv2D layers for one input)', () => {
  it('counts in·out per Dense layer of an MLP', async () => {
    const model = mlp({ inputShape: [20, 1], hidden: [8, 6], classes: 3 });
    expect(await denseConvFlops(model)).toBe(20 * 8 + 8 * 6 + 6 * 3);
    model.dispose();
  });

  it('counts kh·kw·cin·cout·(output positions) per Conv2D layer: LeNet-5 by hand', async () => {
    const model = lenet5();
    const conv1 = 5 * 5 * 1 * 6 * (28 * 28); // 'same': 28×28 positions
    const conv2 = 5 * 5 * 6 * 16 * (10 * 10); // 'valid' on 14×14: 10×10
    const dense = 400 * 120 + 120 * 84 + 84 * 10;
    expect(await denseConvFlops(model)).toBe(conv1 + conv2 + dense);
    model.dispose();
  });

  it('counts a strided conv net by its output size', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [8, 8, 3],
          filters: 4,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
        }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: 5 }),
      ],
    });
    expect(await denseConvFlops(model)).toBe(3 * 3 * 3 * 4 * (4 * 4) + 4 * 5);
    model.dispose();
  });

  it('removing half the hidden units of an MLP halves the FLOPs of both adjacent dense layers', async () => {
    const model = mlp({ inputShape: [20, 1], hidden: [8, 6], classes: 3 });
    const [first] = model.layers.filter((l) => l.getClassName() === 'Dense');
    pruneUnits(first as tfl.layers.Layer, [0, 2, 4, 6]);
    expect(await denseConvFlops(model)).toBe(20 * 4 + 4 * 6 + 6 * 3);
    model.dispose();
  });

  it('a pruned filter shrinks the fan-in of the dense layer after flatten, and scattered zeros do not count', async () => {
    const model = lenet5();
    const conv2 = model.layers.filter((l) => l.getClassName() === 'Conv2D')[1] as tfl.layers.Layer;
    pruneUnits(conv2, [0, 1, 2, 3, 4, 5, 6, 7]); // 8 of 16 filters
    const conv1 = 5 * 5 * 1 * 6 * (28 * 28);
    const rest = 120 * 84 + 84 * 10;
    expect(await denseConvFlops(model)).toBe(conv1 + 5 * 5 * 6 * 8 * 100 + 200 * 120 + rest);
    model.dispose();
  });

  it("matches a 'neurons'-structured spred model collapsed at a threshold that removes units", async () => {
    const model = mlp({ inputShape: [10, 1], hidden: [6], classes: 2, seed: 1 });
    const sparse = await spredify(model, { kappa: 1e-3, structure: 'neurons' });
    const plain = await collapse(sparse, { threshold: 0 });
    expect(await denseConvFlops(plain)).toBe(10 * 6 + 6 * 2);
    // A threshold above every group norm removes every unit: nothing is left to compute.
    const empty = await collapse(sparse, { threshold: 1e6 });
    expect(await denseConvFlops(empty)).toBe(0);
    for (const m of [model, sparse, plain, empty]) m.dispose();
  });
});
