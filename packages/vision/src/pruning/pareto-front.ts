/** What {@link paretoFront} compares: a compression ratio and an accuracy, both better when higher. */
export interface ParetoCandidate {
  readonly compression: number;
  readonly accuracy: number;
}

/**
 * The accuracy–compression Pareto front: the points that no other point dominates (another point
 * dominates p when its compression ≥ p's and its accuracy ≥ p's, one of them strictly), sorted by
 * increasing compression. Of exact duplicates (same compression and accuracy) the first is kept;
 * points with a NaN coordinate are left out. Pure: the points themselves are returned, not copies.
 *
 * @example
 * ```ts
 * paretoFront([
 *   { compression: 10, accuracy: 0.9 },
 *   { compression: 5, accuracy: 0.85 }, // dominated by the first
 *   { compression: 100, accuracy: 0.7 },
 * ]); // → the points at 10× and 100×
 * ```
 */
export function paretoFront<P extends ParetoCandidate>(points: readonly P[]): P[] {
  // Highest compression first (ties: highest accuracy first; the sort is stable, so the first of
  // duplicates leads): a point is on the front when it beats every accuracy seen before it.
  const order = points
    .filter((p) => !Number.isNaN(p.compression) && !Number.isNaN(p.accuracy))
    .sort((a, b) => b.compression - a.compression || b.accuracy - a.accuracy);
  const front: P[] = [];
  let best = -Infinity;
  for (const p of order) {
    if (p.accuracy > best) {
      front.push(p);
      best = p.accuracy;
    }
  }
  return front.reverse();
}

/**
 * {@link paretoFront} of each method's points on their own, keyed by method in the order the
 * methods first appear.
 *
 * @example
 * ```ts
 * const fronts = frontsByMethod(result.points); // { spred: [...], magnitude: [...], ... }
 * ```
 */
export function frontsByMethod<
  M extends string,
  P extends ParetoCandidate & { readonly method: M },
>(points: readonly P[]): Partial<Record<M, P[]>> {
  const groups = new Map<M, P[]>();
  for (const p of points) {
    const group = groups.get(p.method);
    if (group === undefined) groups.set(p.method, [p]);
    else group.push(p);
  }
  const fronts: Partial<Record<M, P[]>> = {};
  for (const [method, group] of groups) fronts[method] = paretoFront(group);
  return fronts;
}
