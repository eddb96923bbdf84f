import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import { describe, expect, it } from 'vitest';
import { logitsClassifier, withOutputActivation } from './user-model.js';

const x = () => tf.randomNormal([6, 5], 0, 1, 'float32', 3);

async function outputs(model: tfl.LayersModel, input: tf.Tensor): Promise<number[]> {
  const y = model.predict(input) as tf.Tensor;
  const values = Array.from(await y.data());
  y.dispose();
  return values;
}

function dense(
  units: number,
  activation: 'relu' | 'softmax' | 'linear' | 'sigmoid',
  inputShape?: number[],
) {
  return tfl.layers.dense({
    units,
    activation,
    ...(inputShape === undefined ? {} : { inputShape }),
    kernelInitializer: tfl.initializers.glorotNormal({ seed: units }),
  });
}

describe('logitsClassifier / withOutputActivation', () => {
  it('takes the softmax off a Dense output, and withOutputActivation puts it back exactly', async () => {
    const user = tfl.sequential({ layers: [dense(8, 'relu', [5]), dense(3, 'softmax')] });
    const input = x();
    const before = tf.memory().numTensors;
    const c = await logitsClassifier(user);
    expect(c).toMatchObject({ outputActivation: 'softmax', inputShape: [5], classes: 3 });
    const logits = c.model.predict(input) as tf.Tensor;
    const probabilities = tf.softmax(logits);
    expect(Array.from(await probabilities.data())).toEqual(await outputs(user, input));
    tf.dispose([logits, probabilities]);
    const back = await withOutputActivation(c.model, 'softmax');
    expect(await outputs(back, input)).toEqual(await outputs(user, input));
    expect(back.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense']);
    const weights = c.model.getWeights().length + back.getWeights().length;
    c.model.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(weights).toBe(8);
    tf.dispose([input]);
    user.dispose();
  });

  it('removes a final Activation(softmax) or Softmax layer, in Sequential and functional models', async () => {
    const input = x();
    const seq = tfl.sequential({
      layers: [dense(4, 'linear', [5]), tfl.layers.activation({ activation: 'softmax' })],
    });
    const a = await logitsClassifier(seq);
    expect(a.model.layers.map((l) => l.getClassName())).toEqual(['Dense']);
    const inputs = tfl.input({ shape: [5] });
    const hidden = dense(7, 'relu').apply(inputs) as tfl.SymbolicTensor;
    const out = tfl.layers.softmax().apply(dense(4, 'linear').apply(hidden)) as tfl.SymbolicTensor;
    const functional = tfl.model({ inputs, outputs: out });
    const b = await logitsClassifier(functional);
    expect(b).toMatchObject({ outputActivation: 'softmax', classes: 4 });
    expect(b.model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense', 'Dense']);
    for (const [user, c] of [
      [seq, a],
      [functional, b],
    ] as const) {
      const logits = c.model.predict(input) as tf.Tensor;
      const p = tf.softmax(logits);
      expect(Array.from(await p.data())).toEqual(await outputs(user, input));
      const back = await withOutputActivation(c.model, 'softmax');
      expect(await outputs(back, input)).toEqual(await outputs(user, input));
      tf.dispose([logits, p]);
      back.dispose();
      c.model.dispose();
      user.dispose();
    }
    input.dispose();
  });

  it('takes a linear output as logits', async () => {
    const user = tfl.sequential({ layers: [dense(3, 'linear', [5])] });
    const input = x();
    const c = await logitsClassifier(user);
    expect(c.outputActivation).toBe('linear');
    expect(await outputs(c.model, input)).toEqual(await outputs(user, input));
    c.model.dispose();
    user.dispose();
    input.dispose();
  });

  it('refuses what spred prune cannot train, in one line', async () => {
    const sigmoid = tfl.sequential({ layers: [dense(3, 'sigmoid', [5])] });
    await expect(logitsClassifier(sigmoid)).rejects.toThrow(
      /output layer dense_Dense\d+ has activation 'sigmoid'/,
    );
    const noKernel = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [2, 3] })] });
    await expect(logitsClassifier(noKernel)).rejects.toThrow(SpredInputError);
    await expect(logitsClassifier(noKernel)).rejects.toThrow(
      'the model has no Dense or Conv2D kernels to prune',
    );
    const a = tfl.input({ shape: [2] });
    const b = tfl.input({ shape: [2] });
    const two = tfl.model({
      inputs: [a, b],
      outputs: tfl.layers.concatenate().apply([a, b]) as tfl.SymbolicTensor,
    });
    await expect(logitsClassifier(two)).rejects.toThrow(
      'the model has 2 inputs; spred prune needs one',
    );
    for (const m of [sigmoid, noKernel, two]) m.dispose();
  });
});
