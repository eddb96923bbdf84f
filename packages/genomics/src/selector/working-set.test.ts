import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { xorLikeGenes } from '../testing/synthetic-genes.js';
import { fitGeneNetwork, type Samples } from './fit-gene-network.js';
import { GeneNetwork } from './gene-network.js';
import { GROW_AT_LEAST, worstViolators } from './grow-working-set.js';
import { kappaMax, linearHeadGradientNorms } from './kappa-max.js';
import { OPTIMALITY_SLACK } from './optimality-check.js';
import { euclideanRowNorms, remapRows } from './working-set.js';

const P = 30;
const data = xorLikeGenes(24, P, 3, 5);
const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};
const network = (kappa = 0.05) =>
  new GeneNetwork({
    inputs: P,
    classes: 2,
    heads: ['linear', 'mlp'],
    hidden: [8],
    input: 'spred',
    kappa,
    seed: 4,
  });
const dataLoss = (net: GeneNetwork, x: tf.Tensor2D, oneHot: tf.Tensor2D) =>
  tf.tidy(() => tf.sub(net.loss(x, oneHot), net.penalty()).dataSync()[0] as number);

describe('the working set of the spred gene selector', () => {
  const x = tf.tensor2d(data.values, [data.labels.length, P]);
  const oneHot = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 2) as tf.Tensor2D;

  it('remaps rows by gene: held genes keep theirs, new genes get zeros', () => {
    const t = tf.tensor2d([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(read(remapRows(t, Int32Array.of(2, 5, 9), Int32Array.of(0, 5, 9)))).toEqual([
      0, 0, 2, 2, 3, 3,
    ]);
    t.dispose();
  });

  it('rejects a working set that is empty, unsorted, out of range, or on a dense first layer', () => {
    const net = network();
    expect(() => net.setActiveGenes(new Int32Array(0))).toThrow(/at least one gene/);
    expect(() => net.setActiveGenes(Int32Array.of(3, 1))).toThrow(/ascending/);
    expect(() => net.setActiveGenes(Int32Array.of(0, P))).toThrow(/outside/);
    net.dispose();
    const dense = new GeneNetwork({ inputs: P, classes: 2, heads: ['linear'], input: 'dense' });
    expect(() => dense.setActiveGenes(Int32Array.of(0))).toThrow(/only a spred/);
    dense.dispose();
  });

  it('leaving genes out is the same network as zeroing their rows (their inputs)', () => {
    const net = network();
    const keep = Int32Array.from({ length: P }, (_, i) => i).filter((g) => g % 3 !== 1);
    const dropped = tf.tensor2d(
      Array.from({ length: P }, (_, g) => (g % 3 === 1 ? 0 : 1)),
      [1, P],
    );
    const expected = read(
      tf.tidy(() => tf.concat(net.logits(tf.mul(x, dropped) as tf.Tensor2D), 1)),
    );
    const normsBefore = net.rowNorms();
    net.setActiveGenes(keep);
    expect(Array.from(net.activeGenes)).toEqual(Array.from(keep));
    const got = read(tf.tidy(() => tf.concat(net.logits(x), 1)));
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    const normsAfter = net.rowNorms();
    for (let g = 0; g < P; g++)
      expect(normsAfter[g]).toBeCloseTo(g % 3 === 1 ? 0 : (normsBefore[g] as number), 6);
    net.collapse(0);
    expect(() => net.setActiveGenes(keep)).toThrow(/collapsed/);
    net.dispose();
    dropped.dispose();
  });

  it('a gene entering starts at its given row, balanced, and held genes keep their factors', () => {
    const net = network();
    net.setActiveGenes(Int32Array.of(0, 1, 2));
    const before = net.rowNorms();
    const entering = tf.tidy(() => tf.mul(tf.ones([4, 10]), tf.tensor2d([[9], [9], [9], [0.5]])));
    net.setActiveGenes(Int32Array.of(0, 1, 2, 7), entering as tf.Tensor2D);
    const after = net.rowNorms();
    [0, 1, 2].forEach((g) => expect(after[g]).toBeCloseTo(before[g] as number, 6));
    expect(after[7]).toBeCloseTo(0.5 * Math.sqrt(10), 5); // ‖0.5 · 1₁₀‖
    expect(net.geneWeights()[7]).toBeCloseTo(Math.sqrt(0.5 * Math.sqrt(10)), 5); // |u| = √‖V‖
    net.dispose();
    entering.dispose();
  });

  it('gives the data-loss gradient of rows held (autograd through W = V/u) and of rows left out (finite differences)', () => {
    const net = network();
    net.setActiveGenes(Int32Array.from({ length: P - 2 }, (_, i) => i));
    const held = Int32Array.of(0, 4);
    const grad = read(net.dataGradient(x, oneHot, held));
    const [u, w] = net.firstLayerVariables as [tf.Variable, tf.Variable];
    const dw = tf.variableGrads(() => tf.sub(net.loss(x, oneHot), net.penalty()) as tf.Scalar, [w]);
    const dwRows = read(tf.gather(dw.grads[w.name] as tf.Tensor, tf.tensor1d(held, 'int32')));
    const uHeld = read(tf.gather(tf.reshape(u, [-1]), tf.tensor1d(held, 'int32')));
    tf.dispose([dw.value, ...Object.values(dw.grads)]);
    const width = grad.length / held.length;
    grad.forEach((g, k) => {
      const ui = uHeld[Math.floor(k / width)] as number;
      expect(g).toBeCloseTo((dwRows[k] as number) / ui, 4);
    });
    // Gene P−1 is left out: move it in by ±ε along its gradient; the slope is ‖g‖.
    const out = Int32Array.of(P - 1);
    const g = read(net.dataGradient(x, oneHot, out));
    const norm = Math.hypot(...g);
    const slope = (eps: number) => {
      const probe = network();
      probe.setActiveGenes(net.activeGenes);
      const all = Int32Array.from({ length: P }, (_, i) => i);
      // The same held rows as `net`: copy its factors, then add gene P−1 at ε·g/‖g‖.
      probe.firstLayerVariables.forEach((v, i) =>
        v.assign(net.firstLayerVariables[i] as tf.Variable),
      );
      const row = tf.tidy(() => {
        const full = tf.zeros([P, width]);
        const last = tf.reshape(tf.mul(tf.tensor1d(g), eps / norm), [1, width]);
        return tf.concat([tf.slice(full, [0, 0], [P - 1, width]), last], 0);
      }) as tf.Tensor2D;
      probe.setActiveGenes(all, row);
      row.dispose();
      const l = dataLoss(probe, x, oneHot);
      probe.dispose();
      return l;
    };
    const eps = 1e-2;
    const fd = (slope(eps) - slope(-eps)) / (2 * eps);
    expect(fd).toBeCloseTo(norm, 2);
    net.dispose();
  });
});

describe('training spred on a working set', () => {
  const P2 = 2000;
  const asSamples = (d: ReturnType<typeof xorLikeGenes>): Samples => ({
    x: tf.tensor2d(d.values, [d.labels.length, P2]),
    labels: d.labels,
  });
  const fit = async (workingSet: boolean) => {
    const [t, d] = [asSamples(xorLikeGenes(200, P2, 5, 1)), asSamples(xorLikeGenes(200, P2, 5, 2))];
    const before = tf.memory().numTensors;
    const result = await fitGeneNetwork(
      {
        inputs: P2,
        classes: 2,
        heads: ['linear', 'mlp'],
        hidden: [64],
        input: 'spred',
        kappa: 0.3,
        initScale: 0.01,
      },
      t,
      d,
      { learningRate: 1e-2, epochs: 600, patience: 20, seed: 3, workingSet },
    );
    const weights = result.network.geneWeights();
    const active = result.network.activeGenes.length;
    const top = Array.from(weights.keys())
      .sort((a, b) => (weights[b] as number) - (weights[a] as number))
      .slice(0, 5)
      .sort((a, b) => a - b);
    result.network.dispose();
    const leaked = tf.memory().numTensors - before;
    tf.dispose([t.x, d.x]);
    return { ...result, top, leaked, active };
  };

  it('finds the same genes as training every gene, certifies its zeros, is deterministic and leaks no tensor', async () => {
    const narrow = await fit(true);
    const full = await fit(false);
    expect(full.top).toEqual([0, 1, 2, 3, 4]);
    expect(narrow.top).toEqual([0, 1, 2, 3, 4]);
    expect(full.top).toEqual([0, 1, 2, 3, 4]);
    expect(narrow.genesKept).toBeLessThan(200);
    expect(narrow.devAccuracy).toBeGreaterThan(full.devAccuracy - 0.05);
    // The working set narrowed (epochs cost in proportion to the genes in play) and still holds
    // every gene kept; training every gene never narrows and never re-enters one.
    expect(narrow.active).toBeLessThan(P2 / 10);
    expect(narrow.active).toBeGreaterThanOrEqual(narrow.genesKept);
    expect(full.active).toBe(P2);
    expect(full.optimality?.reentered).toBe(0);
    // It stopped on its own…
    expect(narrow.epochs).toBeLessThan(600);
    // …and no left-out gene would lower the group-lasso objective by more than Adam's slack.
    expect(narrow.optimality?.worstZeroRow).toBeLessThanOrEqual(OPTIMALITY_SLACK);
    const again = await fit(true);
    expect(again.top).toEqual(narrow.top);
    expect(again.genesKept).toBe(narrow.genesKept);
    expect(again.optimality).toEqual(narrow.optimality);
    expect(again.epochs).toBe(narrow.epochs);
    expect(narrow.leaked).toBe(0);
    expect(full.leaked).toBe(0);
  }, 120_000);
});

describe('the start and growth of the working set', () => {
  const P3 = 300;
  const samples = (seed: number): Samples => {
    const d = xorLikeGenes(160, P3, 4, seed);
    return { x: tf.tensor2d(d.values, [d.labels.length, P3]), labels: d.labels };
  };
  const spec = {
    inputs: P3,
    classes: 2,
    heads: ['linear', 'mlp'] as ('linear' | 'mlp')[],
    hidden: [16],
    input: 'spred' as const,
    initScale: 0.01,
  };

  it('a cold start begins on the linear head’s violators at V = 0, the worst first', () => {
    const t = samples(1);
    const norms = linearHeadGradientNorms(t.x, t.labels, 2);
    const kappa = 0.6 * kappaMax(t.x, t.labels, 2);
    const start = worstViolators(norms, 2 * kappa, [], GROW_AT_LEAST);
    // The genes with ‖∂L/∂V_i‖ > 2κ·slack at V = 0, at most GROW_AT_LEAST, all of them violators
    // and none left out that is worse than one kept.
    expect(start.length).toBeGreaterThan(0);
    expect(start.length).toBeLessThanOrEqual(GROW_AT_LEAST);
    const kept = new Set(start);
    const weakestKept = Math.min(...Array.from(start, (g) => norms[g] as number));
    start.forEach((g) => expect(norms[g]).toBeGreaterThan(2 * kappa * OPTIMALITY_SLACK));
    norms.forEach((v, g) => {
      if (!kept.has(g)) expect(v).toBeLessThanOrEqual(weakestKept);
    });
    // κ_max is the largest of them over 2: above it nothing violates, so nothing starts.
    const top = kappaMax(t.x, t.labels, 2);
    expect(Math.max(...norms) / 2).toBeCloseTo(top, 12);
    expect(worstViolators(norms, 2 * top, [], GROW_AT_LEAST).length).toBe(0);
    t.x.dispose();
  });

  it('a gene left out of the start that the data need re-enters through the optimality check, and every gene left out at the end satisfies it', async () => {
    const [t, d] = [samples(1), samples(2)];
    // Start without informative gene 0: only the check can bring it in.
    const genes = Int32Array.from({ length: 20 }, (_, i) => i + 1);
    const kappa = 0.3 * kappaMax(t.x, t.labels, 2);
    const fit = await fitGeneNetwork({ ...spec, kappa, genes }, t, d, {
      learningRate: 1e-2,
      epochs: 1500,
      patience: 10,
      seed: 3,
    });
    expect(fit.optimality?.reentered).toBeGreaterThan(0);
    expect(fit.network.activeGenes).toContain(0);
    expect(fit.network.rowNorms()[0]).toBeGreaterThan(0);
    // The certificate: no gene left out has ‖∂L/∂V_i‖ above 2κ beyond Adam's slack.
    const norms = fit.network.dataGradientNorms(
      t.x,
      tf.oneHot(tf.tensor1d(t.labels, 'int32'), 2) as tf.Tensor2D,
    );
    const rows = fit.network.rowNorms();
    rows.forEach((r, g) => {
      if (r === 0) expect((norms[g] as number) / (2 * kappa)).toBeLessThanOrEqual(OPTIMALITY_SLACK);
    });
    expect(fit.optimality?.worstZeroRow).toBeLessThanOrEqual(OPTIMALITY_SLACK);
    fit.network.dispose();
    tf.dispose([t.x, d.x]);
  }, 120_000);

  it('a warm-started κ path ends on the same genes as a cold fit at its last κ, at an objective as low', async () => {
    const [t, d] = [samples(4), samples(5)];
    const oneHot = tf.oneHot(tf.tensor1d(t.labels, 'int32'), 2) as tf.Tensor2D;
    const top = kappaMax(t.x, t.labels, 2);
    const options = { learningRate: 1e-2, epochs: 1500, patience: 10, seed: 3 };
    const objective = (net: GeneNetwork) =>
      tf.tidy(() => net.loss(t.x, oneHot).dataSync()[0] as number);
    const used = (net: GeneNetwork) => {
      const rows = net.rowNorms();
      return Array.from(rows.keys()).filter((g) => (rows[g] as number) > 0);
    };
    let previous: GeneNetwork | undefined;
    for (const ratio of [0.8, 0.5, 0.3]) {
      const fit = await fitGeneNetwork({ ...spec, kappa: ratio * top }, t, d, {
        ...options,
        ...(previous !== undefined ? { warmStart: previous } : {}),
      });
      previous?.dispose();
      previous = fit.network;
    }
    const warm = previous as GeneNetwork;
    const cold = (await fitGeneNetwork({ ...spec, kappa: 0.3 * top }, t, d, options)).network;
    const informative = (genes: number[]) => genes.filter((g) => g < 4);
    expect(informative(used(warm))).toEqual([0, 1, 2, 3]);
    expect(informative(used(cold))).toEqual([0, 1, 2, 3]);
    expect(objective(warm)).toBeLessThanOrEqual(objective(cold) * 1.02);
    warm.dispose();
    cold.dispose();
    tf.dispose([t.x, d.x, oneHot]);
  }, 120_000);

  it('gives the gradient norms of every gene as the norms of the gradient (the DDᵀ identity)', () => {
    const t = samples(3);
    const oneHot = tf.oneHot(tf.tensor1d(t.labels, 'int32'), 2) as tf.Tensor2D;
    const net = new GeneNetwork({ ...spec, kappa: 0.1, seed: 2 });
    net.setActiveGenes(Int32Array.from({ length: 50 }, (_, i) => 2 * i));
    const all = Int32Array.from({ length: P3 }, (_, i) => i);
    const direct = read(euclideanRowNorms(net.dataGradient(t.x, oneHot, all)));
    const fast = net.dataGradientNorms(t.x, oneHot);
    direct.forEach((v, g) => expect(fast[g]).toBeCloseTo(v, 5));
    net.dispose();
    tf.dispose([t.x, oneHot]);
  });
});
