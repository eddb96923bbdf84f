import * as tf from '@tensorflow/tfjs-core';
import { GroupedOptimizer, train, type ParamGroup } from '@spredjs/optim';
import { scoreProbabilities } from '../data/score-probabilities.js';
import { GeneNetwork, type GeneNetworkSpec } from './gene-network.js';
import { GROW_AT_LEAST, largestGradient, worstViolators } from './grow-working-set.js';
import { linearHeadGradientNormsAsync } from './kappa-max.js';
import { trainSpred, type TrainingRun } from './train-spred.js';

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
  /**
   * spred: train on a working set of genes, as glmnet does. Every `screenEvery` epochs the genes
   * whose row is at most `screenThreshold` × the largest leave the first layer (so epochs cost in
   * proportion to the genes still in play); once the set is stable, the optimality condition of the
   * group lasso (‖∂L/∂V_i‖ ≤ 2κ at a zero row) is checked on every gene left out, and violators
   * re-enter along their descent direction. Default true; false trains every gene every epoch.
   */
  readonly workingSet?: boolean;
  /**
   * spred: Adam's rate is multiplied by this per epoch since the working set last changed (and
   * starts again at the full rate when it changes). Default 0.97 (halves in 23 epochs); 1 keeps
   * it constant.
   */
  readonly learningRateDecay?: number;
  /** Epochs between working-set screens. Default 10. */
  readonly screenEvery?: number;
  /**
   * Rows at most this × the largest leave the working set at a screen. Default `threshold`: only
   * genes the final threshold would cut leave (dropping larger rows early loses genes whose
   * nonlinear signal is learned late, e.g. XOR partners, for which 0 is a local minimum).
   */
  readonly screenThreshold?: number;
  /**
   * spred with a working set: start on the genes that violate the group lasso's optimality
   * condition at the start (a cold start: the linear head's at V = 0, the {@link GROW_AT_LEAST}
   * worst; a warm start: the previous point's genes plus as many of the worst violators), instead
   * of on every gene. The optimality check at the end re-enters any gene it wrongly left out.
   * Default true.
   */
  readonly screen?: boolean;
  /**
   * spred along a κ path: the previous point's fitted network (same architecture, larger κ), whose
   * genes and weights this fit starts from, as glmnet's warm starts. It is not changed.
   */
  readonly warmStart?: GeneNetwork;
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
  /** The epoch deployed: the best dev epoch of a baseline, the last one for spred. */
  readonly bestEpoch: number;
  readonly seconds: number;
  /** Genes with a nonzero first-layer row after the threshold. */
  readonly genesKept: number;
  /**
   * spred: the optimality check of the group lasso at the end, max over the genes with a zero row
   * of ‖∂L/∂V_i‖ / 2κ (≤ 1 when no left-out gene would lower the objective by entering), and how
   * many genes re-entered the working set through it.
   */
  readonly optimality?: { readonly worstZeroRow: number; readonly reentered: number };
}

/**
 * Trains a {@link GeneNetwork} full-batch with Adam (parameter groups: the spred / L1 first layer
 * without decay, every other parameter with a small coupled decay). Baselines stop early when the
 * dev score (accuracy, ties broken by dev cross-entropy) stops improving and restore the best
 * epoch; spred trains on a working set of genes until its gene set is stable for `patience` epochs
 * and passes the group lasso's optimality check (or `epochs` run out), then applies its final
 * threshold, so its genes are the penalty's exact zeros' complement.
 */
export async function fitGeneNetwork(
  spec: GeneNetworkSpec,
  trainSamples: Samples,
  devSamples: Samples,
  options: GeneFitOptions,
): Promise<GeneFit> {
  const started = performance.now();
  const network = new GeneNetwork({
    ...spec,
    seed: spec.seed ?? options.seed ?? 0,
    ...(await startingGenes(spec, trainSamples, options)),
  });
  try {
    if (options.warmStart !== undefined) network.warmStartFrom(options.warmStart);
  } catch (e) {
    network.dispose();
    throw e;
  }
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
  const trainOneHot = tf.tidy(() =>
    tf.oneHot(tf.tensor1d(trainSamples.labels, 'int32'), spec.classes),
  ) as tf.Tensor2D;
  const holder = {
    optimizer: new GroupedOptimizer({ kind: 'adam', learningRate: options.learningRate }, groups),
  };
  try {
    const run =
      spec.input === 'spred'
        ? await trainSpred(network, holder, trainSamples.x, trainOneHot, options)
        : await trainBaseline(
            network,
            holder.optimizer,
            trainSamples.x,
            trainOneHot,
            devSamples,
            options,
          );
    const { accuracy, loss } = await evaluateAsync(network, devSamples, spec.classes);
    return {
      network,
      devAccuracy: accuracy,
      devLoss: loss,
      ...run,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (e) {
    network.dispose();
    throw e;
  } finally {
    trainOneHot.dispose();
    holder.optimizer.dispose();
  }
}

/** Baselines: full-batch Adam, early stopping on the dev score with the best epoch restored. */
async function trainBaseline(
  network: GeneNetwork,
  optimizer: GroupedOptimizer,
  x: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  devSamples: Samples,
  options: GeneFitOptions,
): Promise<TrainingRun> {
  // Scored after each (full-batch) step, awaited, and handed to the loop's synchronous validation
  // metric at the end of that epoch: the same network state.
  let score = Number.NaN;
  const result = await train({
    optimizer,
    loss: () => network.loss(x, oneHot),
    epochs: options.epochs ?? 300,
    afterStep: async () => {
      const { accuracy, loss } = await evaluateAsync(network, devSamples, network.spec.classes);
      score = accuracy - 1e-3 * Math.min(loss, 100);
    },
    validation: { metric: () => score, mode: 'max', patience: options.patience ?? 50 },
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  return {
    epochs: result.epochs,
    bestEpoch: result.bestEpoch ?? result.epochs,
    genesKept: network.spec.inputs,
  };
}

/** Accuracy and mean cross-entropy of a network's averaged probabilities. */
export function evaluate(
  network: GeneNetwork,
  samples: Samples,
  classes: number,
): { accuracy: number; loss: number } {
  const probs = network.predictProbabilities(samples.x);
  try {
    return scoreProbabilities(probs.dataSync(), samples.labels, classes);
  } finally {
    probs.dispose();
  }
}

/**
 * {@link evaluate} read through `await data()`, for backends whose synchronous reads throw
 * (WebGPU in Node).
 *
 * @example
 * ```ts
 * const { accuracy } = await evaluateAsync(fit.network, testSamples, 2);
 * ```
 */
export async function evaluateAsync(
  network: GeneNetwork,
  samples: Samples,
  classes: number,
): Promise<{ accuracy: number; loss: number }> {
  const probs = network.predictProbabilities(samples.x);
  try {
    return scoreProbabilities(await probs.data(), samples.labels, classes);
  } finally {
    probs.dispose();
  }
}

/**
 * spred's first working set: on a warm start the previous point's; on a cold one, screened by the
 * linear head's optimality condition at V = 0 (the genes with ‖∂L/∂V_i‖ > 2κ there, the
 * {@link GROW_AT_LEAST} worst; the largest gradient when none violates). Every gene without a
 * working set, a screen, or for other first layers.
 */
async function startingGenes(
  spec: GeneNetworkSpec,
  train: Samples,
  options: GeneFitOptions,
): Promise<{ genes?: Int32Array }> {
  if (spec.input !== 'spred' || options.workingSet === false || spec.genes !== undefined) return {};
  if (options.warmStart !== undefined) return { genes: options.warmStart.activeGenes };
  if (options.screen === false) return {};
  const norms = await linearHeadGradientNormsAsync(train.x, train.labels, spec.classes);
  const genes = worstViolators(norms, 2 * (spec.kappa ?? 0.1), [], GROW_AT_LEAST);
  return { genes: genes.length > 0 ? genes : Int32Array.of(largestGradient(norms)) };
}
