/** How a method's grid point is chosen on the dev split. */
export type Selection = 'one-se' | 'best';

/** What {@link chooseCandidate} reads of a grid point. */
export interface Scored {
  readonly devAccuracy: number;
  /** Dev cross-entropy: breaks ties between equal accuracies. */
  readonly devLoss: number;
  /** Genes the model uses (undefined: all of them). */
  readonly genes?: readonly number[];
}

/**
 * The grid point a repeat reports. `'best'`: the best dev accuracy (ties: the lower dev
 * cross-entropy). `'one-se'` (glmnet's `lambda.1se`): the sparsest point whose dev accuracy is
 * within one standard error of the best, the standard error being the binomial √(p(1 − p)/n_dev)
 * of the best dev accuracy p (ties: the better dev accuracy, then the lower cross-entropy); points
 * without a gene list count as using every gene. Returns the index into `candidates`.
 *
 * @example
 * ```ts
 * const i = chooseCandidate(candidates, devLabels.length, 'one-se');
 * ```
 */
export function chooseCandidate(
  candidates: readonly Scored[],
  devSamples: number,
  selection: Selection,
): number {
  if (candidates.length === 0) throw new Error('chooseCandidate needs at least one candidate');
  const better = (a: Scored, b: Scored) =>
    b.devAccuracy > a.devAccuracy || (b.devAccuracy === a.devAccuracy && b.devLoss < a.devLoss);
  let best = 0;
  candidates.forEach((c, i) => {
    if (better(candidates[best] as Scored, c)) best = i;
  });
  if (selection === 'best') return best;
  const p = (candidates[best] as Scored).devAccuracy;
  const se = devSamples > 0 ? Math.sqrt((p * (1 - p)) / devSamples) : 0;
  const size = (c: Scored) => c.genes?.length ?? Infinity;
  let chosen = best;
  candidates.forEach((c, i) => {
    if (c.devAccuracy < p - se - 1e-12) return;
    const current = candidates[chosen] as Scored;
    if (size(c) < size(current) || (size(c) === size(current) && better(current, c))) chosen = i;
  });
  return chosen;
}
