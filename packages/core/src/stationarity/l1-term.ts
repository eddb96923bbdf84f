import type * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';
import { axisStructure, elementStructure, indexStructure } from '../reparam/group-structure.js';

/**
 * One L1 or group-L1 term 2κ_g‖V_g‖₂ of an objective, with V held directly in variables (value
 * space): what the stationarity certificate and `polish` work on. Single-entry groups give plain
 * L1; a group may span several variables (a gene's rows in two heads of one network).
 */
export interface L1Term {
  /** Names the term in reports (a layer or parameter name). */
  readonly name: string;
  /** The variables holding V. */
  readonly variables: readonly tf.Variable[];
  /** For each variable, the group (0 … kappa.length − 1) of each of its entries, row-major. */
  readonly groupIds: readonly Int32Array[];
  /** κ_g of every group: the term is 2κ_g‖V_g‖₂ summed over groups. */
  readonly kappa: Float64Array;
}

/** Options of {@link l1Term}: κ and, at most one of, the axes or explicit ids that group V. */
export interface L1TermOptions {
  /** κ: one number, or one positive value per group. */
  readonly kappa: number | ArrayLike<number>;
  /** Axes that index the groups (as in `grouped`); none: every entry is its own group (L1). */
  readonly axis?: number | readonly number[];
  /** Explicit group id of every entry, row-major (as in `grouped`). */
  readonly groups?: ArrayLike<number>;
  /** Default: the variable's name. */
  readonly name?: string;
}

/**
 * The L1 term 2κ Σ_g ‖V_g‖₂ on a variable that holds V itself, grouped as `hadamard` (no axis)
 * or `grouped` (`axis` or `groups`) group it.
 *
 * @example
 * ```ts
 * const rows = l1Term(kernel, { kappa: 1e-3, axis: 0 }); // one group per input feature of [in, out]
 * ```
 */
export function l1Term(variable: tf.Variable, options: L1TermOptions): L1Term {
  if (options.axis !== undefined && options.groups !== undefined)
    throw new SpredInputError('l1Term takes axis or groups, not both');
  const structure =
    options.axis !== undefined
      ? axisStructure(variable.shape, options.axis)
      : options.groups !== undefined
        ? indexStructure(variable.shape, options.groups)
        : elementStructure(variable.shape);
  let ids: Int32Array;
  try {
    ids = structure.groupIds();
  } finally {
    structure.dispose();
  }
  return {
    name: options.name ?? variable.name,
    variables: [variable],
    groupIds: [ids],
    kappa: kappaPerGroup(options.kappa, structure.numGroups),
  };
}

/** κ as one positive finite value per group. */
export function kappaPerGroup(kappa: number | ArrayLike<number>, numGroups: number): Float64Array {
  const values =
    typeof kappa === 'number' ? new Float64Array(numGroups).fill(kappa) : Float64Array.from(kappa);
  if (values.length !== numGroups)
    throw new SpredInputError(
      `kappa has ${values.length} values but there are ${numGroups} groups`,
    );
  values.forEach((k, i) => {
    if (!(Number.isFinite(k) && k > 0))
      throw new SpredInputError(
        `kappa must be positive and finite, got ${String(k)} at group ${i}`,
      );
  });
  return values;
}
