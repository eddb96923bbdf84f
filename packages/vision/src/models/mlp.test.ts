import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { trainableParameterCount } from './resnet.js';
import { mlp } from './mlp.js';

describe('mlp', () => {
  it('flattens images, has LeNet-300-100’s parameter count, and is seeded', () => {
    const a = mlp({ inputShape: [28, 28, 1], hidden: [300, 100], classes: 10, seed: 4 });
    const b = mlp({ inputShape: [28, 28, 1], hidden: [300, 100], classes: 10, seed: 4 });
    expect(trainableParameterCount(a)).toBe(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
    const x = tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 1);
    const [ya, yb] = [a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor];
    expect(ya.shape).toEqual([3, 10]);
    expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
    expect(() => mlp({ inputShape: [4], hidden: [0], classes: 2 })).toThrow(/positive integers/);
    tf.dispose([x, ya, yb]);
    a.dispose();
    b.dispose();
  });
});
