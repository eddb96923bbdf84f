import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { collapse, spredify } from '@spredjs/layers';
import { lenet5 } from './lenet5.js';
import { trainableParameterCount } from './resnet.js';

/** Largest |a − b| of two models' outputs on x. */
function outputGap(a: tfl.LayersModel, b: tfl.LayersModel, x: tf.Tensor): number {
  return tf.tidy(
    () =>
      tf
        .max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor)))
        .dataSync()[0] as number,
  );
}

describe('lenet5', () => {
  it('gives 10 logits per 28×28 image, has LeNet-5’s parameter count, and is seeded', () => {
    const a = lenet5({ seed: 2 });
    const b = lenet5({ inputShape: [28, 28, 1], classes: 10, seed: 2 });
    const conv1 = 6 * (5 * 5 * 1 + 1);
    const conv2 = 16 * (5 * 5 * 6 + 1);
    // 28 → conv 'same' 28 → pool 14 → conv 'valid' 10 → pool 5: 16·5·5 features.
    const dense = 16 * 5 * 5 * 120 + 120 + (120 * 84 + 84) + (84 * 10 + 10);
    expect(trainableParameterCount(a)).toBe(conv1 + conv2 + dense);
    expect(trainableParameterCount(a)).toBe(61_706);
    const x = tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 1);
    const [ya, yb] = [a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor];
    expect(ya.shape).toEqual([3, 10]);
    expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
    const c = lenet5({ seed: 3 });
    expect(outputGap(a, c, x)).toBeGreaterThan(0);
    tf.dispose([x, ya, yb]);
    for (const m of [a, b, c]) m.dispose();
  });

  it('takes 32×32 RGB images and other class counts', () => {
    const model = lenet5({ inputShape: [32, 32, 3], classes: 100 });
    const x = tf.zeros([2, 32, 32, 3]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 100]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('spredify and collapse keep its outputs, elementwise and by neurons', async () => {
    const model = lenet5({ seed: 5 });
    const x = tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 6);
    for (const structure of ['elementwise', 'neurons'] as const) {
      const sparse = await spredify(model, { kappa: 1e-4, structure });
      expect(sparse.layers.filter((l) => l.getClassName().startsWith('Spred'))).toHaveLength(5);
      expect(outputGap(model, sparse, x)).toBeLessThan(1e-4);
      const plain = await collapse(sparse);
      expect(plain.layers.map((l) => l.getClassName())).toEqual(
        model.layers.map((l) => l.getClassName()),
      );
      expect(outputGap(model, plain, x)).toBeLessThan(1e-4);
      sparse.dispose();
      plain.dispose();
    }
    x.dispose();
    model.dispose();
  });
});
