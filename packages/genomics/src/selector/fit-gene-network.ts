import * as tf from '@tensorflow/tfjs-core';
import { GroupedOptimizer, train, type ParamGroup } from '@spred/optim';
import { GeneNetwork, type GeneNetworkSpec } from './gene-network.js';

/** Samples as tensors: standardized expression [n, genes] and class indices. */
export interface Samples {
  readonly x: tf.Tensor2D;
  readonly labels: Int32Array;
}

/** Training options of {@link fitGeneNetwork}. */
export interface GeneFitOptions {
  /** Adam's learning rate. */
  readonly learningRate: number;
  /** Most full-batch epochs. Default 300. */
  readonly epochs?: number;
  /**
   * Baselines: stop after this many epochs without a better dev score (the best epoch is restored).
   * spred: stop once its gene set (rows above the final threshold) has not changed for this many
   * epochs. Default 50.
   */
  readonly patience?: number;
  /** Coupled weight decay of every parameter but the spred / L1 first layer. Default 1e-4. */
  readonly weightDecay?: number;
  /**
   * spred's final threshold, relative to the largest gene-row norm: rows at most this × the largest
   * become exact zeros. Default 1e-3. Ignored for other first layers.
   */
  readonly threshold?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

/** A fitted network and how it did on the dev samples. */
export interface GeneFit {
  readonly network: GeneNetwork;
  /** Dev accuracy of the deployed (thresholded) network. */
  readonly devAccuracy: number;
  /** Dev cross-entropy of the averaged probabilities; breaks ties between equal accuracies. */
  readonly devLoss: number;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly seconds: number;
  /** Genes with a nonzero first-layer row after the threshold. */
  readonly genesKept: number;
}

/**
 * Trains a {@link GeneNetwork} full-batch with Adam (parameter groups: the spred / L1 first layer
 * without decay, every other parameter with a small coupled decay). Baselines stop early when the
 * dev score (accuracy, ties broken by dev cross-entropy) stops improving and restore the best
 * epoch; spred trains until its gene set is stable for `patience` epochs (or `epochs` run out) and
 * then applies its final threshold, so its genes are the penalty's exact zeros' complement.
 */
export async function fitGeneNetwork(
  spec: GeneNetworkSpec,
  trainSamples: Samples,
  devSamples: Samples,
  options: GeneFitOptions,
): Promise<GeneFit> {
  const started = performance.now();
  const network = new GeneNetwork({ ...spec, seed: spec.seed ?? options.seed ?? 0 });
  const decay = options.weightDecay ?? 1e-4;
  const groups: ParamGroup[] = [
    {
      name: 'first layer',
      variables: network.firstLayerVariables,
      weightDecay: spec.input === 'dense' ? decay : 0,
    },
  ];
  if (network.otherVariables.length > 0)
    groups.push({ name: 'other layers', variables: network.otherVariables, weightDecay: decay });
  const optimizer = new GroupedOptimizer(
    { kind: 'adam', learningRate: options.learningRate },
    groups,
  );
  const trainOneHot = tf.tidy(() =>
    tf.oneHot(tf.tensor1d(trainSamples.labels, 'int32'), spec.classes),
  ) as tf.Tensor2D;
  const score = () => {
    const { accuracy, loss } = evaluate(network, devSamples, spec.classes);
    return accuracy - 1e-3 * Math.min(loss, 100);
  };
  const epochs = options.epochs ?? 300;
  const patience = options.patience ?? 50;
  const relativeThreshold = options.threshold ?? 1e-3;
  const spred = spec.input === 'spred';
  // spred's genes come from the penalty's zeros, which appear only late: an early-stopped, restored
  // network still uses every gene. So spred trains on until its gene set is stable (the paper's
  // stopping signal: the zeros stop changing), and is deployed as it is then.
  const stable = new AbortController();
  let lastKept = spec.inputs;
  let unchanged = 0;
  const watchGenes = () => {
    const kept = keptGenes(network.rowNorms(), relativeThreshold);
    unchanged = kept === lastKept && kept < spec.inputs ? unchanged + 1 : 0;
    lastKept = kept;
    if (unchanged >= patience) stable.abort();
  };
  const signals = [options.signal, spred ? stable.signal : undefined].filter(
    (s): s is AbortSignal => s !== undefined,
  );
  try {
    const result = await train({
      optimizer,
      loss: () => network.loss(trainSamples.x, trainOneHot),
      epochs,
      validation: spred
        ? { metric: score, mode: 'max', patience: epochs, restoreBest: false }
        : { metric: score, mode: 'max', patience },
      ...(spred ? { onEpoch: watchGenes } : {}),
      ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
    });
    let genesKept = spec.inputs;
    if (spred) genesKept = network.collapse(geneCut(network.rowNorms(), relativeThreshold));
    const { accuracy, loss } = evaluate(network, devSamples, spec.classes);
    return {
      network,
      devAccuracy: accuracy,
      devLoss: loss,
      epochs: result.epochs,
      bestEpoch: result.bestEpoch ?? result.epochs,
      seconds: (performance.now() - started) / 1000,
      genesKept,
    };
  } catch (e) {
    network.dispose();
    throw e;
  } finally {
    trainOneHot.dispose();
    optimizer.dispose();
  }
}

/** spred's final threshold: `relative` × the largest gene-row norm. */
function geneCut(norms: Float64Array, relative: number): number {
  return relative * norms.reduce((m, v) => Math.max(m, v), 0);
}

/** Genes whose row norm is above spred's final threshold. */
function keptGenes(norms: Float64Array, relative: number): number {
  const cut = geneCut(norms, relative);
  return norms.reduce((count, v) => count + (v > cut ? 1 : 0), 0);
}

/** Accuracy and mean cross-entropy of a network's averaged probabilities. */
export function evaluate(
  network: GeneNetwork,
  samples: Samples,
  classes: number,
): { accuracy: number; loss: number } {
  const probs = network.predictProbabilities(samples.x);
  const p = probs.dataSync();
  probs.dispose();
  let correct = 0;
  let loss = 0;
  samples.labels.forEach((label, i) => {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if ((p[i * classes + c] as number) > (p[i * classes + best] as number)) best = c;
    if (best === label) correct++;
    loss -= Math.log(Math.max(p[i * classes + label] as number, 1e-12));
  });
  const n = samples.labels.length;
  return { accuracy: n === 0 ? 0 : correct / n, loss: n === 0 ? 0 : loss / n };
}
