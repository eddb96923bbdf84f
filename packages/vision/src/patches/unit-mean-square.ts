import { SpredInputError } from '@spredjs/core';

/**
 * The factor that scales patches (row-major, any shape) to unit mean square per pixel, fitted on
 * `patches`: 1/√(mean of x²). Apply it to held-out patches too, so that one α means the same at
 * every patch size and photo contrast (scikit-learn's sparse-coding examples standardize the
 * same way).
 *
 * @example
 * ```ts
 * const scale = unitMeanSquareScale(train);
 * const scaled = scalePatches(train, scale), heldOutScaled = scalePatches(heldOut, scale);
 * ```
 */
export function unitMeanSquareScale(patches: Float32Array | Float64Array): number {
  let sum = 0;
  for (const v of patches) sum += v * v;
  const rms = Math.sqrt(sum / patches.length);
  if (!(rms > 0 && Number.isFinite(rms)))
    throw new SpredInputError(
      `patches must have a positive, finite mean square to be scaled, got ${String(rms * rms)}`,
    );
  return 1 / rms;
}

/** A copy of `patches` multiplied by `scale` (float32). */
export function scalePatches(patches: Float32Array | Float64Array, scale: number): Float32Array {
  return Float32Array.from(patches, (v) => v * scale);
}
