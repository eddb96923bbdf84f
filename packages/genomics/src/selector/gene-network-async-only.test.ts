import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
import type { LabeledData } from '../data/labeled-data.js';
import { resolveProtocol } from '../protocol/method-options.js';
import { runMethod } from '../protocol/run-method.js';
import { stratifiedSplits } from '../protocol/stratified-splits.js';
import { xorLikeGenes } from '../testing/synthetic-genes.js';
import { fitGeneNetwork, type GeneFit, type Samples } from './fit-gene-network.js';
import type { GeneNetworkSpec } from './gene-network.js';
import { kappaMaxAsync } from './kappa-max.js';

const P = 30;
const trainData = xorLikeGenes(24, P, 3, 5);
const devData = xorLikeGenes(24, P, 3, 6);
const spec: GeneNetworkSpec = {
  inputs: P,
  classes: 2,
  heads: ['linear', 'mlp'],
  hidden: [8],
  input: 'spred',
  seed: 4,
};

/** What a fit reports, with the network read back (asynchronously) and freed. */
async function summary(fit: GeneFit) {
  const { network, seconds: _seconds, ...report } = fit;
  return {
    ...report,
    activeGenes: Array.from(network.activeGenes),
    weights: Array.from(await network.geneWeightsAsync()),
    norms: Array.from(await network.rowNormsAsync()),
  };
}

/**
 * A κ path of two points (cold start screened by the linear head, working-set moves and the
 * optimality check; then a warm start), and a dense baseline with early stopping on dev.
 */
async function selectGenes() {
  const asSamples = (d: typeof trainData): Samples => ({
    x: tf.tensor2d(d.values, [d.labels.length, P]),
    labels: d.labels,
  });
  const [t, d] = [asSamples(trainData), asSamples(devData)];
  const options = { learningRate: 1e-2, epochs: 60, patience: 5, screenEvery: 5, seed: 3 };
  try {
    const top = await kappaMaxAsync(t.x, t.labels, 2);
    const first = await fitGeneNetwork({ ...spec, kappa: 0.5 * top }, t, d, options);
    const second = await fitGeneNetwork({ ...spec, kappa: 0.2 * top }, t, d, {
      ...options,
      warmStart: first.network,
    });
    const path = [await summary(first), await summary(second)];
    first.network.dispose();
    second.network.dispose();
    const dense = await fitGeneNetwork({ ...spec, heads: ['mlp'], input: 'dense' }, t, d, {
      ...options,
      epochs: 30,
    });
    const baseline = await summary(dense);
    dense.network.dispose();
    return { top, path, baseline };
  } finally {
    tf.dispose([t.x, d.x]);
  }
}

describe('the gene selector where synchronous reads throw (as on WebGPU in Node)', () => {
  it('fits a spred κ path and a dense baseline exactly as on cpu', async () => {
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(selectGenes);
    expect(asyncOnly).toEqual(cpu);
    // The run did what it is meant to: a selection, a certificate, a baseline on every gene.
    const [, second] = asyncOnly.path;
    expect(second!.genesKept).toBeLessThan(P);
    expect(second!.optimality).toBeDefined();
    expect(asyncOnly.baseline.genesKept).toBe(P);
  }, 60_000);

  it("runs the protocol's spred method on one split exactly as on cpu", async () => {
    const n = 40;
    const raw = xorLikeGenes(n, P, 3, 7);
    const data: LabeledData = {
      samples: Array.from({ length: n }, (_, i) => `s${i}`),
      features: Array.from({ length: P }, (_, j) => `g${j}`),
      genes: Array.from({ length: P }, (_, j) => `g${j}`),
      values: Float64Array.from(raw.values),
      labels: raw.labels,
      classes: ['0', '1'],
    };
    const split = stratifiedSplits(raw.labels, { repeats: 1, seed: 1 })[0]!;
    const protocol = resolveProtocol({
      kappaRatios: [0.5, 0.2],
      hidden: [8],
      epochs: 40,
      spredPatience: 5,
      log2: false,
      seed: 2,
    });
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(async () => {
      const { secondsPerFit: _seconds, ...run } = await runMethod(
        data,
        split,
        0,
        'spred',
        protocol,
      );
      return run;
    });
    expect(asyncOnly).toEqual(cpu);
    expect(asyncOnly.genes?.length).toBeGreaterThan(0);
  }, 60_000);
});
