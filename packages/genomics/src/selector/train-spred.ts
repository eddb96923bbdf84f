import * as tf from '@tensorflow/tfjs-core';
import { train, type GroupedOptimizer, type LearningRateSchedule } from '@spredjs/optim';
import type { GeneFit, GeneFitOptions } from './fit-gene-network.js';
import type { GeneNetwork } from './gene-network.js';
import { geneSetStable } from './gene-set-monitor.js';
import { moveWorkingSet } from './move-working-set.js';
import { GROW_AT_LEAST, largestGradient, worstViolators } from './grow-working-set.js';
import { optimalityCheckAsync } from './optimality-check.js';
import { euclideanRowNorms, geneCut, union } from './working-set.js';

/** The smallest row an entering gene starts at (its row's norm), so it never starts at the saddle 0. */
const ENTRY_FLOOR = 1e-4;

/** The size of an entering gene's row: the final threshold's cut, at least {@link ENTRY_FLOOR}. */
function entrySize(cut: number): number {
  return Math.max(cut, ENTRY_FLOOR);
}

/** What a training run adds to a {@link GeneFit}. */
export type TrainingRun = Pick<GeneFit, 'epochs' | 'bestEpoch' | 'genesKept' | 'optimality'>;

/**
 * spred's training, on the one loop (`@spredjs/optim`'s `train`): full-batch Adam until the gene set
 * (rows above the final threshold) has not changed for `patience` epochs and no left-out gene
 * violates the group lasso's optimality condition ({@link geneSetStable}); then the final
 * threshold. With a working set the parameter set is swapped between epochs: every `screenEvery`
 * epochs the genes the screen would cut leave the first layer, and the worst violators of the check
 * re-enter along their steepest descent direction (at most doubling the set); a warm start first
 * grows the previous point's set by its worst violators. Adam's rate decays by
 * `learningRateDecay` per epoch from each change of the set. spred's genes come from the penalty's zeros,
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
  // The optimality check the monitor will ask for this epoch, computed after the step (awaited:
  // the monitor itself is synchronous); nothing changes the network in between.
  let violators: Int32Array | undefined;
  let reentered = 0;
  const kept = () => {
    const cut = geneCut(norms, relativeThreshold);
    return norms.reduce((c, v) => c + (v > cut ? 1 : 0), 0);
  };
  const stable = geneSetStable({
    inputs,
    patience: options.patience ?? 50,
    kept,
    violators: () => {
      if (violators === undefined) throw new Error('the optimality check was not computed');
      return violators;
    },
  });
  // Between epochs: violators of the check enter, or (every `screenEvery` epochs) the screen cuts.
  const moveGenes = async (epoch: number): Promise<boolean> => {
    const screenCut = geneCut(norms, screenThreshold);
    const violators = stable.takeReentry();
    if (violators !== undefined) {
      // The worst violators enter, at most as many as the genes in use (at least GROW_AT_LEAST):
      // the working set at most doubles per check, as celer's and skglm's do.
      const kept = network.activeGenes.filter((g) => (norms[g] as number) > screenCut).length;
      const room = Math.max(GROW_AT_LEAST, kept);
      const genes = union(network.activeGenes, violators.slice(0, room).sort());
      const entering = tf.tidy(() => {
        const g = network.dataGradient(x, oneHot, genes);
        return tf.mul(
          tf.divNoNan(g, tf.expandDims(euclideanRowNorms(g), 1)),
          -entrySize(screenCut),
        );
      }) as tf.Tensor2D;
      reentered += Math.min(room, violators.length);
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
  // Adam's steps shrink geometrically from each change of the working set on, so the factors of
  // genes on their way out settle at zero instead of hovering around the threshold at the size
  // of a step; a new working set starts again at the full rate.
  let swappedAt = 0;
  const gamma = options.learningRateDecay ?? 0.97;
  const decay: LearningRateSchedule = {
    name: 'decay since the working set changed',
    factor: (epoch) => gamma ** Math.max(0, epoch - swappedAt),
  };
  if (workingSet && (options.screen ?? true) && options.warmStart !== undefined)
    holder.optimizer = await growFromWarmStart(network, holder.optimizer, x, oneHot, options);
  const result = await train({
    optimizer: holder.optimizer,
    loss: () => network.loss(x, oneHot),
    epochs,
    // A non-finite loss leaves the state that gave it, as spred's own loop did (nothing to copy).
    keepLastFinite: false,
    afterStep: async () => {
      norms = await network.rowNormsAsync();
      violators = undefined;
      if (stable.due(kept()))
        violators = workingSet
          ? (await optimalityCheckAsync(network, norms, x, oneHot, twoKappa)).violators
          : new Int32Array(0);
    },
    monitors: [stable],
    schedule: decay,
    swapParameters: async ({ epoch }) => {
      if (!(await moveGenes(epoch))) return undefined;
      swappedAt = epoch;
      return { optimizer: holder.optimizer };
    },
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  // The loop swaps only between epochs; a move due after the last one still shapes what deploys.
  if (result.stopReason === 'epochs' && epochs > 0) await moveGenes(epochs);
  // The epoch whose loss turned non-finite counts, as it did.
  const ran = result.epochs + (result.stopReason === 'non-finite' ? 1 : 0);
  const genesKept = await network.collapseAsync(
    geneCut(await network.rowNormsAsync(), relativeThreshold),
  );
  // The certificate of the deployed network, whose zero rows include the thresholded ones.
  const { worst: worstZeroRow } = await optimalityCheckAsync(
    network,
    await network.rowNormsAsync(),
    x,
    oneHot,
    twoKappa,
  );
  return { epochs: ran, bestEpoch: ran, genesKept, optimality: { worstZeroRow, reentered } };
}

/**
 * The working set a warm start (`options.warmStart`: the previous κ of a path) trains on, as
 * glmnet's, celer's and skglm's: the genes in use at the warm start plus those that violate the
 * group lasso's optimality condition there the most (‖∂L/∂V_i‖ > 2κ, one pass over every gene),
 * at most as many as the genes in use and at least {@link GROW_AT_LEAST}, each entering along its
 * steepest descent direction at the size of the final threshold. (A cold start's set is chosen
 * before the network is built: see `fitGeneNetwork`.) The optimality check after training lets in
 * the violators this start left out, so the start changes how fast training gets there, not where.
 */
async function growFromWarmStart(
  network: GeneNetwork,
  optimizer: GroupedOptimizer,
  x: tf.Tensor2D,
  oneHot: tf.Tensor2D,
  options: GeneFitOptions,
): Promise<GroupedOptimizer> {
  const twoKappa = 2 * (network.spec.kappa ?? 0.1);
  const gradientNorms = await network.dataGradientNormsAsync(x, oneHot);
  const rows = await network.rowNormsAsync();
  const cut = geneCut(rows, options.threshold ?? 1e-3);
  const held = network.activeGenes.filter((g) => (rows[g] as number) > cut);
  const room = Math.max(GROW_AT_LEAST, held.length);
  let genes = union(held, worstViolators(gradientNorms, twoKappa, held, room));
  // Nothing in use and nothing to enter (κ ≥ κ_max): the largest gradient, which will shrink to 0.
  if (genes.length === 0) genes = Int32Array.of(largestGradient(gradientNorms));
  const entering = tf.tidy(() => {
    const g = network.dataGradient(x, oneHot, genes);
    return tf.mul(tf.divNoNan(g, tf.expandDims(euclideanRowNorms(g), 1)), -entrySize(cut));
  }) as tf.Tensor2D;
  try {
    return await moveWorkingSet(network, optimizer, genes, entering);
  } finally {
    entering?.dispose();
  }
}
