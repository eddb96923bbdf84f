import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { xorLikeGenes } from '../testing/synthetic-genes.js';
import { fitGeneNetwork, type Samples } from './fit-gene-network.js';
import type { InputLayer } from './gene-input-layer.js';
import { OPTIMALITY_SLACK } from './optimality-check.js';

const P = 2000;
const train = xorLikeGenes(200, P, 5, 1);
const dev = xorLikeGenes(200, P, 5, 2);
const top5 = (w: Float64Array) =>
  Array.from(w.keys())
    .sort((a, b) => (w[b] as number) - (w[a] as number))
    .slice(0, 5)
    .sort((a, b) => a - b);

async function fitAndRank(input: InputLayer, heads: ('linear' | 'mlp')[], kappa: number) {
  const asSamples = (d: typeof train): Samples => ({
    x: tf.tensor2d(d.values, [d.labels.length, P]),
    labels: d.labels,
  });
  const [t, d] = [asSamples(train), asSamples(dev)];
  const fit = await fitGeneNetwork(
    { inputs: P, classes: 2, heads, hidden: [64], input, kappa },
    t,
    d,
    {
      learningRate: 3e-3,
      epochs: 400,
      patience: 400,
      seed: 3,
    },
  );
  const ranked = top5(fit.network.geneWeights());
  const result = { ranked, devAccuracy: fit.devAccuracy, genesKept: fit.genesKept };
  fit.network.dispose();
  tf.dispose([t.x, d.x]);
  return result;
}

describe('the spred gene selector', () => {
  it('ranks the 5 informative genes of 2,000 first on a nonlinear task; the plain MLP does not', async () => {
    const spred = await fitAndRank('spred', ['linear', 'mlp'], 0.3);
    const mlp = await fitAndRank('dense', ['mlp'], 0);
    expect(spred.ranked).toEqual([0, 1, 2, 3, 4]);
    expect(mlp.ranked).not.toEqual([0, 1, 2, 3, 4]);
    expect(spred.devAccuracy).toBeGreaterThan(mlp.devAccuracy + 0.1);
    // The group lasso on genes leaves a short list: exact zeros for most of the 1,995 noise genes.
    expect(spred.genesKept).toBeLessThan(400);
    expect(mlp.genesKept).toBe(P);
  }, 120_000);

  it('trains spred until its gene set is stable and deploys that sparse network, not an early-stopped one', async () => {
    const asSamples = (d: typeof train): Samples => ({
      x: tf.tensor2d(d.values, [d.labels.length, P]),
      labels: d.labels,
    });
    const [t, d] = [asSamples(train), asSamples(dev)];
    const fit = await fitGeneNetwork(
      { inputs: P, classes: 2, heads: ['linear', 'mlp'], hidden: [64], input: 'spred', kappa: 0.3 },
      t,
      d,
      { learningRate: 1e-2, epochs: 3000, patience: 20, seed: 3 },
    );
    // It stops on its own: the gene set held for `patience` epochs and no left-out gene violates
    // the group lasso's optimality condition (beyond Adam's slack).
    expect(fit.epochs).toBeLessThan(3000);
    expect(fit.optimality?.worstZeroRow).toBeLessThanOrEqual(OPTIMALITY_SLACK);
    // Over 90% exact zeros (noise genes the 64-unit MLP fits on 200 samples stay in at this κ).
    expect(fit.genesKept).toBeLessThan(200);
    expect(top5(fit.network.geneWeights())).toEqual([0, 1, 2, 3, 4]);
    expect(fit.devAccuracy).toBeGreaterThan(0.7); // chance is 0.5; the XOR-like signal is noisy
    fit.network.dispose();
    tf.dispose([t.x, d.x]);
  }, 120_000);
});
