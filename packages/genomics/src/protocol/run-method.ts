import * as tf from '@tensorflow/tfjs-core';
import { hsicLasso } from '../baselines/hsic-lasso.js';
import { l1LogisticPath } from '../baselines/l1-logistic.js';
import type { LabeledData } from '../data/labeled-data.js';
import { applyPreprocessing, fitPreprocessing } from '../preprocess/preprocessing.js';
import {
  evaluateAsync,
  fitGeneNetwork,
  type GeneFit,
  type Samples,
} from '../selector/fit-gene-network.js';
import type { GeneNetworkSpec } from '../selector/gene-network.js';
import { kappaMaxAsync } from '../selector/kappa-max.js';
import type { MethodName, ResolvedProtocol } from './method-options.js';
import { chooseCandidate } from './choose-candidate.js';
import type { Split } from './stratified-splits.js';

/** One method on one split: the dev-selected hyper-parameters and its test accuracy. */
export interface MethodRun {
  readonly method: MethodName;
  readonly repeat: number;
  readonly testAccuracy: number;
  readonly devAccuracy: number;
  /** The grid point chosen on dev (e.g. `{ kappa: 0.1, learningRate: 0.001 }`). */
  readonly chosen: Readonly<Record<string, number>>;
  /** Models fitted for the grid, and the mean wall time of one. */
  readonly fits: number;
  readonly secondsPerFit: number;
  /**
   * Selected genes of the chosen model (indices into the data's features), largest weight first,
   * with weights scaled so the largest is 1. spred: nonzero mask entries |u_i|; HSIC Lasso: its α.
   */
  readonly genes?: readonly number[];
  readonly weights?: readonly number[];
  /**
   * spred and the L1-logistic: the chosen point sits at an end of the path (`'sparsest'`: its
   * largest κ or α; `'densest'`: its smallest), so a wider grid might choose differently.
   */
  readonly edge?: 'sparsest' | 'densest';
}

interface Candidate {
  readonly chosen: Record<string, number>;
  readonly devAccuracy: number;
  readonly devLoss: number;
  readonly testAccuracy: number;
  readonly seconds: number;
  readonly genes?: number[];
  readonly weights?: number[];
}

/**
 * Runs one method on one split: preprocessing fitted on the training samples, every grid point
 * fitted on train with early stopping on dev, one point chosen on dev (`protocol.selection`:
 * glmnet's one-standard-error rule by default, see {@link chooseCandidate}), and its accuracy on
 * the test samples reported.
 */
export async function runMethod(
  data: LabeledData,
  split: Split,
  repeat: number,
  method: MethodName,
  protocol: ResolvedProtocol,
  signal?: AbortSignal,
): Promise<MethodRun> {
  const p = data.features.length;
  const rows = (idx: Int32Array) => {
    const out = new Float64Array(idx.length * p);
    idx.forEach((s, i) => out.set(data.values.subarray(s * p, (s + 1) * p), i * p));
    return out;
  };
  const prep = fitPreprocessing(rows(split.train), split.train.length, p, {
    log2: protocol.log2,
    ...(protocol.topVariance !== undefined ? { topVariance: protocol.topVariance } : {}),
  });
  const k = prep.features.length;
  const matrices = [split.train, split.dev, split.test].map((idx) =>
    applyPreprocessing(prep, rows(idx), idx.length, p),
  ) as [Float32Array, Float32Array, Float32Array];
  const labelsOf = (idx: Int32Array) => Int32Array.from(idx, (s) => data.labels[s] as number);
  const [trainLabels, devLabels, testLabels] = [split.train, split.dev, split.test].map(
    labelsOf,
  ) as [Int32Array, Int32Array, Int32Array];
  const classes = data.classes.length;
  const seed = protocol.seed * 7919 + repeat;
  const candidates: Candidate[] = [];

  // Train, dev and test samples on some columns (HSIC Lasso's genes) or on every gene; the latter
  // are made once and serve every fit of the grid.
  const samplesOf = (columns: Int32Array | undefined): [Samples, Samples, Samples] => {
    const take = (m: Float32Array, n: number) => {
      if (columns === undefined) return tf.tensor2d(m, [n, k]);
      const out = new Float32Array(n * columns.length);
      for (let i = 0; i < n; i++)
        columns.forEach((c, j) => (out[i * columns.length + j] = m[i * k + c] as number));
      return tf.tensor2d(out, [n, columns.length]);
    };
    return [
      { x: take(matrices[0], trainLabels.length), labels: trainLabels },
      { x: take(matrices[1], devLabels.length), labels: devLabels },
      { x: take(matrices[2], testLabels.length), labels: testLabels },
    ];
  };
  let everyGene: [Samples, Samples, Samples] | undefined;
  const allGenes = () => (everyGene ??= samplesOf(undefined));

  const fitOn = async (
    columns: Int32Array | undefined,
    spec: Omit<GeneNetworkSpec, 'inputs' | 'classes'>,
    learningRate: number,
    warmStart?: GeneFit['network'],
  ): Promise<{ fit: GeneFit; test: number }> => {
    const [trainS, devS, testS] = columns === undefined ? allGenes() : samplesOf(columns);
    try {
      const fit = await fitGeneNetwork(
        { ...spec, inputs: columns?.length ?? k, classes, seed },
        trainS,
        devS,
        {
          learningRate,
          epochs: protocol.epochs,
          patience: spec.input === 'spred' ? protocol.spredPatience : protocol.patience,
          weightDecay: protocol.weightDecay,
          threshold: protocol.threshold,
          seed,
          ...(warmStart !== undefined ? { warmStart } : {}),
          ...(signal !== undefined ? { signal } : {}),
        },
      );
      return { fit, test: (await evaluateAsync(fit.network, testS, classes)).accuracy };
    } finally {
      if (columns !== undefined) tf.dispose([trainS.x, devS.x, testS.x]);
    }
  };

  const original = (j: number) => prep.features[j] as number;
  try {
    const rates = method === 'spred' ? protocol.spredLearningRates : protocol.learningRates;
    for (const learningRate of rates) {
      if (method === 'spred') {
        // The κ grid as a path, largest κ first, each fit warm-started from the previous one.
        let previous: GeneFit['network'] | undefined;
        try {
          for (const { kappa, ratio } of await kappaGrid(protocol, allGenes()[0], classes)) {
            const { fit, test } = await fitOn(
              undefined,
              {
                heads: ['linear', 'mlp'],
                hidden: protocol.hidden,
                input: 'spred',
                kappa,
                initScale: protocol.spredInitScale,
              },
              learningRate,
              previous,
            );
            previous?.dispose();
            previous = fit.network;
            const weights = await fit.network.geneWeightsAsync();
            const norms = await fit.network.rowNormsAsync();
            const kept = Array.from({ length: k }, (_, j) => j)
              .filter((j) => (norms[j] as number) > 0)
              .sort((a, b) => (weights[b] as number) - (weights[a] as number));
            const top = kept.length > 0 ? (weights[kept[0] as number] as number) : 1;
            candidates.push({
              chosen: {
                kappa,
                ...(ratio !== undefined ? { kappaRatio: ratio } : {}),
                learningRate,
              },
              devAccuracy: fit.devAccuracy,
              devLoss: fit.devLoss,
              testAccuracy: test,
              seconds: fit.seconds,
              genes: kept.map(original),
              weights: kept.map((j) => (weights[j] as number) / top),
            });
          }
        } finally {
          previous?.dispose();
        }
      } else if (method === 'hsic-lasso') {
        const largest = Math.max(...protocol.hsicFeatures);
        const started = performance.now();
        const selection = hsicLasso(matrices[0], trainLabels.length, k, trainLabels, {
          features: largest,
          seed,
        });
        const selectSeconds = (performance.now() - started) / 1000;
        for (const features of protocol.hsicFeatures) {
          const columns = selection.selected.slice(0, features);
          const { fit, test } = await fitOn(
            columns,
            { heads: ['linear'], input: 'dense' },
            learningRate,
          );
          fit.network.dispose();
          const top = selection.weights[0] ?? 1;
          candidates.push({
            chosen: { features: columns.length, learningRate },
            devAccuracy: fit.devAccuracy,
            devLoss: fit.devLoss,
            testAccuracy: test,
            // One selection serves every candidate: each is charged its share.
            seconds: selectSeconds / protocol.hsicFeatures.length + fit.seconds,
            genes: Array.from(columns, original),
            weights: Array.from(selection.weights.slice(0, features), (w) => w / top),
          });
        }
      } else if (method === 'l1-logistic') {
        // One warm-started α path per split, fitted once: learning rates do not apply to it.
        const points = l1LogisticPath(
          { x: matrices[0], labels: trainLabels },
          { x: matrices[1], labels: devLabels },
          { x: matrices[2], labels: testLabels },
          classes,
          { alphas: protocol.l1LogisticAlphas, ...(signal !== undefined ? { signal } : {}) },
        );
        for (const point of points) candidates.push({ ...point, genes: point.genes.map(original) });
        break;
      } else {
        const grid = method === 'l1-mlp' ? protocol.l1Lambdas : [0];
        for (const lambda of grid) {
          const spec: Omit<GeneNetworkSpec, 'inputs' | 'classes'> =
            method === 'linear'
              ? { heads: ['linear'], input: 'dense' }
              : {
                  heads: ['mlp'],
                  hidden: [protocol.baselineHidden],
                  input: method === 'l1-mlp' ? 'l1' : 'dense',
                  kappa: lambda,
                };
          const { fit, test } = await fitOn(undefined, spec, learningRate);
          fit.network.dispose();
          candidates.push({
            chosen: method === 'l1-mlp' ? { lambda, learningRate } : { learningRate },
            devAccuracy: fit.devAccuracy,
            devLoss: fit.devLoss,
            testAccuracy: test,
            seconds: fit.seconds,
          });
        }
      }
      if (signal?.aborted === true) break;
    }
  } finally {
    if (everyGene !== undefined) tf.dispose(everyGene.map((samples) => samples.x));
  }
  const index = chooseCandidate(candidates, devLabels.length, protocol.selection);
  const best = candidates[index] as Candidate;
  // spred's and the L1-logistic's grids are paths, from the sparsest end to the densest.
  const onPath = method === 'spred' || method === 'l1-logistic';
  const edge =
    !onPath || candidates.length < 2
      ? undefined
      : index === 0
        ? 'sparsest'
        : index === candidates.length - 1
          ? 'densest'
          : undefined;
  return {
    method,
    repeat,
    testAccuracy: best.testAccuracy,
    devAccuracy: best.devAccuracy,
    chosen: best.chosen,
    fits: candidates.length,
    secondsPerFit: candidates.reduce((s, c) => s + c.seconds, 0) / candidates.length,
    ...(best.genes !== undefined ? { genes: best.genes, weights: best.weights ?? [] } : {}),
    ...(edge !== undefined ? { edge } : {}),
  };
}

/** spred's κ path on one training split, largest first: the absolute grid, or ratios × κ_max. */
async function kappaGrid(
  protocol: ResolvedProtocol,
  train: Samples,
  classes: number,
): Promise<{ kappa: number; ratio?: number }[]> {
  if (protocol.kappas !== undefined)
    return [...protocol.kappas].sort((a, b) => b - a).map((kappa) => ({ kappa }));
  const top = await kappaMaxAsync(train.x, train.labels, classes);
  return [...protocol.kappaRatios]
    .sort((a, b) => b - a)
    .map((ratio) => ({ kappa: ratio * top, ratio }));
}
