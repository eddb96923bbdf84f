import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
import { collapse, spredify } from './convert-model.js';
import type { SpredStructure } from './spred-kernel.js';

/** A small MLP and a Conv2D net, seeded, with logits out. */
function models(): tfl.LayersModel[] {
  const dense = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 12,
        inputShape: [8],
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 }),
      }),
      tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotNormal({ seed: 4 }) }),
    ],
  });
  const conv = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        inputShape: [6, 6, 2],
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 5 }),
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotNormal({ seed: 6 }) }),
    ],
  });
  return [dense, conv];
}

/** spredify, collapse at `threshold`, and read the collapsed kernels and outputs with `await data()`. */
async function spredifyAndCollapse(
  structure: SpredStructure,
  threshold: number,
): Promise<{ kernels: number[][]; outputs: number[][] }> {
  const kernels: number[][] = [];
  const outputs: number[][] = [];
  for (const model of models()) {
    const shape = model.inputs[0]!.shape.slice(1) as number[];
    const x = tf.randomNormal([5, ...shape], 0, 1, 'float32', 7);
    const sparse = await spredify(model, { kappa: 1e-3, structure });
    const plain = await collapse(sparse, { threshold });
    for (const layer of plain.layers) {
      const kernel = layer.getWeights()[0];
      if (kernel !== undefined && kernel.rank >= 2) kernels.push([...(await kernel.data())]);
    }
    const y = plain.predict(x) as tf.Tensor;
    outputs.push([...(await y.data())]);
    tf.dispose([x, y]);
    for (const m of [model, sparse, plain]) m.dispose();
  }
  return { kernels, outputs };
}

describe('spredify and collapse where synchronous reads throw (as on WebGPU in Node)', () => {
  it('collapse gives the exact zeros and the outputs of the same collapse on cpu', async () => {
    for (const structure of ['elementwise', 'neurons'] as const) {
      const threshold = structure === 'elementwise' ? 0.2 : 0.6;
      const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(() =>
        spredifyAndCollapse(structure, threshold),
      );
      expect(asyncOnly).toEqual(cpu);
      const values = asyncOnly.kernels.flat();
      expect(
        values.some((v) => v === 0),
        structure,
      ).toBe(true);
      expect(
        values.some((v) => v !== 0),
        structure,
      ).toBe(true);
      if (structure === 'elementwise')
        expect(values.every((v) => v === 0 || Math.abs(v) > threshold)).toBe(true);
    }
  });
});
