import { PRUNE_METHODS, type FrontPoint, type PruneMethod } from '@spredjs/vision';

/** What one method of a pruning front reached, read at the target compressions. */
export interface MethodReading {
  readonly method: PruneMethod;
  /** The method's best point at each target compression (see {@link readFront}); undefined: none reached it. */
  readonly at: ReadonlyMap<number, FrontPoint | undefined>;
  /**
   * Seconds of the training runs behind the method's points: its finetuning or training from the
   * pruned init at every point, plus the first training its points are pruned from — spred's, once
   * per κ (spred's unpruned row at that κ), and the dense model's for magnitude. The pruned-at-init
   * methods and lottery (its masks come from spred's training, counted under spred) train only
   * their own runs.
   */
  readonly seconds: number;
  /** Number of pruned points the method measured, over every κ. */
  readonly points: number;
  /** Best accuracy of the method's unpruned rows: spred's trained model at its best κ; the dense model for the others. */
  readonly unpruned: number | undefined;
}

/** A pruning front read at its target compressions: the dense model and every method. */
export interface FrontReading {
  /** The plainly trained dense model (the baselines' unpruned row); undefined when no baseline ran. */
  readonly dense: FrontPoint | undefined;
  /** One reading per method that has points, in the order of `PRUNE_METHODS`. */
  readonly methods: readonly MethodReading[];
}

/** Methods whose points are pruned from a first training of their own, which their seconds include. */
const OWN_FIRST_TRAINING: readonly PruneMethod[] = ['spred', 'magnitude'];

/**
 * Reads a `pruningFront` at its target `compressions` (the list it was run with, in its order):
 * a method's point at c× is its most accurate pruned point, over every κ, that reaches c× — its
 * compression is at least c, or it was pruned for a target of at least c. The second clause is
 * there because a point pruned for c can land a little short of it: random masks keep a binomial
 * share, the per-layer floor (`minimumPerLayer`) adds weights, and the baselines are pruned to
 * spred's compression after spred's floor. With the first clause alone a method pruned to 9.9×
 * would be read at 10× off its 100× point. Where the point is at c× or beyond, it is the method's
 * Pareto front (`frontsByMethod`) read at c×; where it landed short, its `compression` says by
 * how much.
 *
 * `pruningCurve` measures each method's pruned points in the order of `compressions`, one per
 * target, at each κ (the baselines, whose `kappa` is null, at one κ), after the point at spred's
 * certified zeros: the i-th thresholded point of a method at a κ is the one pruned for
 * `compressions[i]`; a certified point counts at the compression it has.
 *
 * @example
 * ```ts
 * const front = await pruningFront({ ...options, compressions: [10, 100, 1000] });
 * const reading = readFront(front.points, [10, 100, 1000]);
 * reading.methods.find((m) => m.method === 'spred')?.at.get(100)?.accuracy; // spred at 100×
 * ```
 */
export function readFront(
  points: readonly FrontPoint[],
  compressions: readonly number[],
): FrontReading {
  const targetOf = new Map<FrontPoint, number>();
  const counts = new Map<string, number>();
  for (const p of points) {
    // the unpruned rows and the certified points have no target: they count at their compression
    if (p.threshold === null || p.threshold === 'certified') continue;
    const key = `${p.method} ${p.kappa}`;
    const index = counts.get(key) ?? 0;
    counts.set(key, index + 1);
    const target = compressions[index];
    if (target !== undefined) targetOf.set(p, target);
  }
  const reaches = (p: FrontPoint, c: number) => p.compression >= c || (targetOf.get(p) ?? 0) >= c;
  const methods: MethodReading[] = [];
  for (const method of PRUNE_METHODS) {
    const own = points.filter((p) => p.method === method);
    if (own.length === 0) continue;
    const pruned = own.filter((p) => p.threshold !== null);
    const unprunedRows = own.filter((p) => p.threshold === null);
    const at = new Map<number, FrontPoint | undefined>();
    for (const c of compressions) at.set(c, best(pruned.filter((p) => reaches(p, c))));
    const counted = OWN_FIRST_TRAINING.includes(method) ? own : pruned;
    methods.push({
      method,
      at,
      seconds: counted.reduce((s, p) => s + p.seconds, 0),
      points: pruned.length,
      unpruned: best(unprunedRows)?.accuracy,
    });
  }
  const dense = points.find((p) => p.method !== 'spred' && p.threshold === null);
  return { dense, methods };
}

/** The most accurate of some points (the first of ties). */
function best(points: readonly FrontPoint[]): FrontPoint | undefined {
  return points.reduce<FrontPoint | undefined>(
    (a, p) => (a === undefined || p.accuracy > a.accuracy ? p : a),
    undefined,
  );
}
