import type * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';
import type { L1Groups } from './l1-groups.js';
import type { L1Term } from './l1-term.js';

/**
 * L1 terms and free variables laid out as one flat float64 vector: every term's variables first
 * (their entries penalized, groups numbered across terms), then the free variables.
 */
export interface L1Layout extends L1Groups {
  readonly terms: readonly L1Term[];
  /** Every variable in flat order: the terms' variables, then the free ones. */
  readonly variables: readonly tf.Variable[];
  /** The first global group of each term (a term's groups are consecutive). */
  readonly firstGroup: Int32Array;
  /** Entries in each global group (0 for an id no entry uses). */
  readonly groupSize: Int32Array;
}

/** Builds the flat layout of `terms` and the `free` variables, checking ids and sizes. */
export function l1Layout(terms: readonly L1Term[], free: readonly tf.Variable[] = []): L1Layout {
  if (terms.length === 0) throw new SpredInputError('there is no L1 term (no spred parameter)');
  const variables: tf.Variable[] = [];
  const seen = new Set<string>();
  const penalized = terms.reduce((n, t) => n + t.variables.reduce((m, v) => m + v.size, 0), 0);
  const numGroups = terms.reduce((n, t) => n + t.kappa.length, 0);
  const groupOf = new Int32Array(penalized);
  const lambda = new Float64Array(numGroups);
  const firstGroup = new Int32Array(terms.length);
  const groupSize = new Int32Array(numGroups);
  let entry = 0;
  let base = 0;
  terms.forEach((term, t) => {
    firstGroup[t] = base;
    if (term.groupIds.length !== term.variables.length)
      throw new SpredInputError(
        `term '${term.name}' has ${term.variables.length} variables but ${term.groupIds.length} id arrays`,
      );
    term.kappa.forEach((k, g) => (lambda[base + g] = 2 * k));
    term.variables.forEach((v, k) => {
      const ids = term.groupIds[k] as Int32Array;
      if (ids.length !== v.size)
        throw new SpredInputError(
          `term '${term.name}': variable '${v.name}' has ${v.size} entries but ${ids.length} group ids`,
        );
      for (let i = 0; i < ids.length; i++) {
        const g = ids[i] as number;
        if (!(g >= 0 && g < term.kappa.length))
          throw new SpredInputError(
            `term '${term.name}': group id ${g} is outside 0…${term.kappa.length - 1}`,
          );
        groupOf[entry++] = base + g;
        groupSize[base + g] = (groupSize[base + g] as number) + 1;
      }
      add(v);
    });
    base += term.kappa.length;
  });
  for (const v of free) add(v);
  return { terms, variables, groupOf, lambda, firstGroup, groupSize };

  function add(v: tf.Variable): void {
    if (seen.has(v.name))
      throw new SpredInputError(`variable '${v.name}' is listed twice (in a term and as free?)`);
    seen.add(v.name);
    variables.push(v);
  }
}
