import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { collapse, spredify } from '@spredjs/layers';
import { cifarResnet, resnet18, trainableParameterCount } from './resnet.js';

describe('ResNets for 32×32 images', () => {
  it('ResNet-18 has the 11,173,962 trainable parameters of the CIFAR variant, and one training step runs', async () => {
    const model = resnet18({ seed: 1 });
    expect(trainableParameterCount(model)).toBe(11_173_962);
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 2);
    const y = tf.oneHot(tf.tensor1d([1, 7], 'int32'), 10);
    const loss = (await model.trainOnBatch(x, y)) as number;
    expect(Number.isFinite(loss)).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('ResNet-20 and ResNet-8 have He et al.’s depth, and spredify keeps a ResNet-8’s outputs', async () => {
    const r20 = cifarResnet(20);
    expect(r20.layers.filter((l) => l.getClassName() === 'Conv2D').length).toBe(19 + 2);
    const r8 = cifarResnet(8, { seed: 3 });
    const x = tf.randomNormal([3, 32, 32, 3], 0, 1, 'float32', 4);
    const sparse = await spredify(r8, { kappa: 1e-4, structure: 'neurons' });
    expect(sparse.layers.filter((l) => l.getClassName() === 'SpredConv2D').length).toBe(
      r8.layers.filter((l) => l.getClassName() === 'Conv2D').length,
    );
    const diff = tf.tidy(
      () =>
        tf
          .max(tf.abs(tf.sub(r8.predict(x) as tf.Tensor, sparse.predict(x) as tf.Tensor)))
          .dataSync()[0] as number,
    );
    expect(diff).toBeLessThan(1e-4);
    const plain = await collapse(sparse);
    expect(plain.layers.filter((l) => l.getClassName() === 'SpredConv2D')).toHaveLength(0);
    const back = tf.tidy(
      () =>
        tf
          .max(tf.abs(tf.sub(r8.predict(x) as tf.Tensor, plain.predict(x) as tf.Tensor)))
          .dataSync()[0] as number,
    );
    expect(back).toBeLessThan(1e-4);
    for (const m of [r20, r8, sparse, plain] as tfl.LayersModel[]) m.dispose();
    x.dispose();
  });
});
