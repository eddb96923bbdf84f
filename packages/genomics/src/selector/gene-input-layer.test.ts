import type * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { denseInput } from './dense-input.js';
import { spredMaskInput } from './spred-mask-input.js';

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('the input layers of the gene network', () => {
  it('spred mask: ‖V_i‖ = |u_i|·‖W_i‖, penalty κ(‖U‖² + ‖W‖²), weights |u_i|', () => {
    const layer = spredMaskInput({ genes: 6, width: 4, kappa: 0.2, seed: 1, name: 'test/mask' });
    expect(layer.kind).toBe('spred');
    expect(layer.shape).toEqual([6, 4]);
    const [u, w] = layer.variables.map((v) => Array.from(v.dataSync()));
    const rows = Array.from({ length: 6 }, (_, i) => w!.slice(4 * i, 4 * i + 4));
    const norms = read(layer.groupNorms());
    norms.forEach((v, i) => expect(v).toBeCloseTo(Math.abs(u![i]!) * Math.hypot(...rows[i]!), 5));
    const squares = [...u!, ...w!].reduce((s, v) => s + v * v, 0);
    expect(read(layer.penalty())[0]).toBeCloseTo(0.2 * squares, 5);
    read(layer.geneWeights()).forEach((v, i) => expect(v).toBeCloseTo(Math.abs(u![i]!), 6));
    layer.dispose();
  });

  it('collapse zeros exactly the rows at most the threshold and leaves the others as they were', () => {
    const layer = spredMaskInput({ genes: 8, width: 3, kappa: 0.1, seed: 2, name: 'test/mask' });
    const before = read(layer.value());
    const norms = read(layer.groupNorms());
    const cut = [...norms].sort((a, b) => a - b)[3] as number; // the 4 smallest rows go
    layer.collapse(cut);
    expect(layer.collapsedAt).toBe(cut);
    const after = read(layer.value());
    norms.forEach((n, i) => {
      for (let j = 0; j < 3; j++)
        expect(after[i * 3 + j]).toBe(n <= cut ? 0 : (before[i * 3 + j] as number));
    });
    expect(read(layer.groupNorms()).filter((n) => n > 0)).toHaveLength(4);
    layer.collapse(0); // a smaller cut later does not bring rows back
    expect(layer.collapsedAt).toBe(cut);
    expect(() => layer.collapse(-1)).toThrow('threshold must be a finite number ≥ 0, got -1');
    layer.dispose();
  });

  it('dense and naive L1: Kaiming kernel, penalty 0 and λ‖W‖₁, row norms as weights, no working set', () => {
    const dense = denseInput({ genes: 5, width: 3, seed: 3, name: 'test/dense' });
    const l1 = denseInput({ genes: 5, width: 3, seed: 3, l1: 0.5, name: 'test/l1' });
    expect([dense.kind, l1.kind]).toEqual(['dense', 'l1']);
    const kernel = Array.from(l1.variables[0]!.dataSync());
    expect(Array.from(dense.variables[0]!.dataSync())).toEqual(kernel); // same seed, same start
    expect(read(dense.penalty())).toEqual([0]);
    expect(read(l1.penalty())[0]).toBeCloseTo(0.5 * kernel.reduce((s, v) => s + Math.abs(v), 0), 5);
    read(dense.geneWeights()).forEach((v, i) =>
      expect(v).toBeCloseTo(Math.hypot(...kernel.slice(3 * i, 3 * i + 3)), 5),
    );
    expect(dense.withGenes).toBeUndefined();
    dense.dispose();
    l1.dispose();
  });
});
