import { SpredInputError } from '@spredjs/core/errors';
import { checkAlpha } from './check-alpha.js';
import type { Penalty } from './penalty.js';

/** Block soft threshold of one block: (1 − t/‖b‖)₊ b. */
function shrinkBlock(values: number[], t: number): number[] {
  const norm = Math.hypot(...values);
  const factor = norm > t ? 1 - t / norm : 0;
  return values.map((v) => v * factor);
}

/**
 * The group lasso α Σ_g ω_g ‖W_g‖_F over groups of features (each group's rows of W, all outputs
 * together), with weights ω_g = √|g| by default. `groups[j]` is the group of feature j. With one
 * group per feature and k outputs it is the multi-task lasso's L2,1 norm over the rows of W.
 *
 * @example
 * ```ts
 * groupL1Penalty(0.1, [0, 0, 1]); // features 0 and 1 enter together
 * ```
 */
export function groupL1Penalty(
  alpha: number,
  groups: ArrayLike<number>,
  weights?: ArrayLike<number>,
): Penalty {
  checkAlpha(alpha);
  const unitOf = Int32Array.from(groups);
  let count = 0;
  unitOf.forEach((g, j) => {
    if (!Number.isInteger(g) || g < 0)
      throw new SpredInputError(`groups[${j}] must be a non-negative integer, got ${String(g)}`);
    count = Math.max(count, g + 1);
  });
  const members: number[][] = Array.from({ length: count }, () => []);
  unitOf.forEach((g, j) => members[g]!.push(j));
  members.forEach((m, g) => {
    if (m.length === 0)
      throw new SpredInputError(`group ${g} has no features (group ids must be 0 … G−1, all used)`);
  });
  const omega =
    weights === undefined ? members.map((m) => Math.sqrt(m.length)) : Array.from(weights);
  if (omega.length !== count)
    throw new SpredInputError(
      `groupWeights has ${omega.length} values but there are ${count} groups`,
    );
  omega.forEach((w, g) => {
    if (!(Number.isFinite(w) && w > 0))
      throw new SpredInputError(`groupWeights[${g}] must be positive, got ${String(w)}`);
  });
  const rowsIdentity = members.every((m, g) => m.length === 1 && m[0] === g);
  const checkD = (d: number) => {
    if (d !== unitOf.length)
      throw new SpredInputError(`groups has ${unitOf.length} entries but X has ${d} features`);
  };
  const blockNorm = (w: Float64Array, g: number, k: number) => {
    let s = 0;
    for (const j of members[g]!) for (let c = 0; c < k; c++) s += (w[j * k + c] as number) ** 2;
    return Math.sqrt(s);
  };
  return {
    name: rowsIdentity ? 'l21' : 'group-l1',
    alpha,
    convex: true,
    units: (d) => {
      checkD(d);
      return { unitOf, count };
    },
    unitLevels: () => Float64Array.from(omega, (o) => alpha * o),
    ridge: 0,
    value(w, d, k) {
      checkD(d);
      let s = 0;
      for (let g = 0; g < count; g++) s += (omega[g] as number) * blockNorm(w, g, k);
      return alpha * s;
    },
    prox(v, step, d, k) {
      const out = Float64Array.from(v);
      for (let g = 0; g < count; g++) {
        const idx = members[g]!.flatMap((j) => Array.from({ length: k }, (_, c) => j * k + c));
        const shrunk = shrinkBlock(
          idx.map((i) => v[i] as number),
          step * alpha * (omega[g] as number),
        );
        idx.forEach((i, q) => (out[i] = shrunk[q] as number));
      }
      return out;
    },
    dual(g, n, d, k) {
      let norm = 0;
      for (let q = 0; q < count; q++)
        norm = Math.max(norm, blockNorm(g, q, k) / (omega[q] as number));
      return { scale: norm === 0 ? 1 : Math.min(1, (n * alpha) / norm), conjugate: 0 };
    },
    kktRatio(grad, d, k) {
      return Float64Array.from(
        { length: count },
        (_, q) => blockNorm(grad, q, k) / (alpha * (omega[q] as number)),
      );
    },
    restrict(features) {
      // Local group ids in order of first appearance, with the groups' weights.
      const local = new Map<number, number>();
      for (const j of features)
        if (!local.has(unitOf[j] as number)) local.set(unitOf[j] as number, local.size);
      return groupL1Penalty(
        alpha,
        features.map((j) => local.get(unitOf[j] as number) as number),
        [...local.keys()].map((g) => omega[g] as number),
      );
    },
    factorization(d, k) {
      checkD(d);
      return {
        kind: 'grouped',
        groupOf: Int32Array.from({ length: d * k }, (_, e) => unitOf[Math.floor(e / k)] as number),
        count,
        kappa: Float64Array.from(omega, (o) => (alpha * o) / 2),
      };
    },
  };
}
