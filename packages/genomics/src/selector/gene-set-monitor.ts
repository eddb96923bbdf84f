import { unchangedFor, type StopMonitor } from '@spredjs/optim';

/** What {@link geneSetStable} watches. */
export interface GeneSetWatch {
  /** Genes of the network; a set of all of them is no selection yet. */
  readonly inputs: number;
  /** Epochs the set must hold. */
  readonly patience: number;
  /** Genes above the final threshold at the end of this epoch. */
  readonly kept: () => number;
  /**
   * Called once the set has held for `patience` epochs: the left-out genes that violate the group
   * lasso's optimality condition and must re-enter (none: training stops).
   */
  readonly violators: () => Int32Array;
}

/** {@link geneSetStable}'s monitor, with the genes it last asked to re-enter. */
export interface GeneSetMonitor extends StopMonitor {
  /** The violators of the last check, once (then undefined until the next check finds some). */
  takeReentry(): Int32Array | undefined;
  /**
   * Whether the next `observe`, with `kept` genes above the threshold, runs the optimality check
   * (calls `violators`): so that a caller can compute the check beforehand, asynchronously.
   */
  due(kept: number): boolean;
}

/**
 * spred's stop rule for {@link train}: the gene set (its size, rows above the final threshold)
 * unchanged for `patience` epochs, then the group lasso's optimality check on the genes left out.
 * With no violator it stops ('converged'); with some it hands them to the working set (see
 * `takeReentry`, read by the parameter swap) and the set must hold for `patience` epochs again.
 *
 * @example
 * ```ts
 * const stable = geneSetStable({ inputs, patience: 50, kept: () => kept, violators: () => check().violators });
 * await train({ optimizer, loss, epochs, monitors: [stable], swapParameters: () => enter(stable.takeReentry()) });
 * ```
 */
export function geneSetStable(watch: GeneSetWatch): GeneSetMonitor {
  let kept = watch.inputs;
  // Every gene kept is no set yet: NaN never equals itself, so it never counts as unchanged.
  const sizeOf = (genes: number) => (genes < watch.inputs ? genes : Number.NaN);
  const size = unchangedFor(watch.patience, () => sizeOf(kept), 'gene set');
  let reentry: Int32Array | undefined;
  return {
    observe(context) {
      kept = watch.kept();
      const verdict = size.observe(context);
      if (verdict === undefined) return undefined;
      const violators = watch.violators();
      if (violators.length === 0)
        return {
          reason: 'converged',
          message: `${verdict.message}; no left-out gene violates the group lasso's optimality condition`,
        };
      reentry = violators;
      size.restore?.({ last: kept, unchanged: 0 });
      return undefined;
    },
    takeReentry() {
      const genes = reentry;
      reentry = undefined;
      return genes;
    },
    due(genes) {
      // unchangedFor's own count, one epoch ahead.
      const { last, unchanged } = size.state?.() as { last?: number; unchanged: number };
      const next = last !== undefined && sizeOf(genes) === last ? unchanged + 1 : 0;
      return next >= watch.patience;
    },
  };
}
