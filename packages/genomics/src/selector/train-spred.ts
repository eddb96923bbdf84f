import * as tf from '@tensorflow/tfjs-core';
import { train, type GroupedOptimizer } from '@spred/optim';
import type { GeneFit, GeneFitOptions } from './fit-gene-network.js';
import type { GeneNetwork } from './gene-network.js';
import { geneSetStable } from './gene-set-monitor.js';
import { moveWorkingSet } from './move-working-set.js';
import { optimalityCheck } from './optimality-check.js';
import { euclideanRowNorms, geneCut, union } from './working-set.js';

/** What a training run adds to a {@link GeneFit}. */
export type TrainingRun = Pick<GeneFit, 'epochs' | 'bestEpoch' | 'genesKept' | 'optimality'>;

/**
 * spred's training, on the one loop (`@spred/optim`'s `train`): full-batch Adam until the gene set
 * (rows above the final threshold) has not changed for `patience` epochs and no left-out gene
 * violates the group lasso's optimality condition ({@link geneSetStable}); then the final
 * threshold. With a working set the parameter set is swapped between epochs: every `screenEvery`
 * epochs the genes the screen would cut leave the first layer, and violators of the check
 * re-enter along their steepest descent direction. spred's genes come from the penalty's zeros,
 * which appear only late (an early-stopped network still uses every gene), so dev accuracy does
 * not stop it. `holder.optimizer` is the optimizer in use at the end (the caller disposes it).
 *
 * @example
 * ```ts
 * const run = await trainSpred(network, { optimizer }, x, oneHot, { learningRate: 1e-2, patience: 50 });
 * console.log(run.genesKept, run.optimality?.worstZeroRow);
 * ```
 */
export async function trainSpred(
  network: GeneNetwork,
  holder: { optimizer: GroupedOptimizer },
  x: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  options: GeneFitOptions,
): Promise<TrainingRun> {
  const inputs = network.spec.inputs;
  const twoKappa = 2 * (network.spec.kappa ?? 0.1);
  const epochs = options.epochs ?? 300;
  const relativeThreshold = options.threshold ?? 1e-3;
  const workingSet = options.workingSet ?? true;
  const screenEvery = options.screenEvery ?? 10;
  const screenThreshold = options.screenThreshold ?? relativeThreshold;
  // This epoch's row norms, read once after its (full-batch) step.
  let norms: Float64Array = new Float64Array(inputs);
  let reentered = 0;
  const stable = geneSetStable({
    inputs,
    patience: options.patience ?? 50,
    kept: () => {
      const cut = geneCut(norms, relativeThreshold);
      return norms.reduce((c, v) => c + (v > cut ? 1 : 0), 0);
    },
    violators: () =>
      workingSet
        ? optimalityCheck(network, norms, x, oneHot, twoKappa).violators
        : new Int32Array(0),
  });
  // Between epochs: violators of the check enter, or (every `screenEvery` epochs) the screen cuts.
  const moveGenes = async (epoch: number): Promise<boolean> => {
    const screenCut = geneCut(norms, screenThreshold);
    const violators = stable.takeReentry();
    if (violators !== undefined) {
      const genes = union(network.activeGenes, violators);
      const entering = tf.tidy(() => {
        const g = network.dataGradient(x, oneHot, genes);
        return tf.mul(tf.divNoNan(g, tf.expandDims(euclideanRowNorms(g), 1)), -screenCut);
      }) as tf.Tensor2D;
      reentered += violators.length;
      try {
        holder.optimizer = await moveWorkingSet(network, holder.optimizer, genes, entering);
      } finally {
        entering.dispose();
      }
      return true;
    }
    if (!workingSet || epoch % screenEvery !== 0) return false;
    const stay = network.activeGenes.filter((g) => (norms[g] as number) > screenCut);
    if (stay.length === network.activeGenes.length) return false;
    holder.optimizer = await moveWorkingSet(network, holder.optimizer, stay);
    return true;
  };
  const result = await train({
    optimizer: holder.optimizer,
    loss: () => network.loss(x, oneHot),
    epochs,
    // A non-finite loss leaves the state that gave it, as spred's own loop did (nothing to copy).
    keepLastFinite: false,
    afterStep: () => {
      norms = network.rowNorms();
    },
    monitors: [stable],
    swapParameters: async ({ epoch }) =>
      (await moveGenes(epoch)) ? { optimizer: holder.optimizer } : undefined,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  // The loop swaps only between epochs; a move due after the last one still shapes what deploys.
  if (result.stopReason === 'epochs' && epochs > 0) await moveGenes(epochs);
  // The epoch whose loss turned non-finite counts, as it did.
  const ran = result.epochs + (result.stopReason === 'non-finite' ? 1 : 0);
  const genesKept = network.collapse(geneCut(network.rowNorms(), relativeThreshold));
  // The certificate of the deployed network, whose zero rows include the thresholded ones.
  const worstZeroRow = optimalityCheck(network, network.rowNorms(), x, oneHot, twoKappa).worst;
  return { epochs: ran, bestEpoch: ran, genesKept, optimality: { worstZeroRow, reentered } };
}
