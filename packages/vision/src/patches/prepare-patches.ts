import { applyZca, fitZca } from './zca-whitening.js';
import { scalePatches, unitMeanSquareScale } from './unit-mean-square.js';

/** Options of {@link preparePatches}. */
export interface PreparePatchesOptions {
  /** 'zca': whiten by a ZCA fitted on the training patches. */
  readonly whiten: 'zca' | 'none';
  /** Scale to unit mean square per pixel, the factor fitted on the (whitened) training patches. */
  readonly scale: boolean;
  /** Patches that get the same transform, fitted on the training patches only. */
  readonly heldOut?: Float32Array | Float64Array;
}

/** What {@link preparePatches} returns. */
export interface PreparedPatches {
  readonly train: Float32Array;
  /** Empty when no held-out patches were given. */
  readonly heldOut: Float32Array;
  /** The factor the patches were multiplied by (1 without `scale`). */
  readonly scale: number;
}

/**
 * The one preprocessing of sparse-coding patches (row-major, d pixels each): an optional ZCA
 * whitening, then an optional scale to unit mean square per pixel, both fitted on the training
 * patches only and applied alike to the held-out ones.
 *
 * @example
 * ```ts
 * const { train, heldOut, scale } = preparePatches(raw, 256, { whiten: 'none', scale: true, heldOut: rawHeldOut });
 * ```
 */
export function preparePatches(
  train: Float32Array | Float64Array,
  d: number,
  options: PreparePatchesOptions,
): PreparedPatches {
  const zca = options.whiten === 'zca' ? fitZca(train, d) : undefined;
  const heldOutRaw = options.heldOut ?? new Float32Array(0);
  const whitened = zca === undefined ? train : applyZca(zca, train);
  const whitenedHeldOut = zca === undefined ? heldOutRaw : applyZca(zca, heldOutRaw);
  const scale = options.scale ? unitMeanSquareScale(whitened) : 1;
  return {
    train: scalePatches(whitened, scale),
    heldOut: scalePatches(whitenedHeldOut, scale),
    scale,
  };
}
