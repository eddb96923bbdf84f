import type * as tfl from '@tensorflow/tfjs-layers';
import { collapse } from '@spredjs/layers';
import { flatValues, prunableKernels } from './masks.js';

/**
 * spred's threshold for each target compression: the |w| of the trained kernels below which all
 * but total/compression of them lie (the first one pruned, so |w| > threshold keeps the rest).
 *
 * @example
 * ```ts
 * const [t10] = await thresholdsForCompressions(trainedSpredModel, [10]);
 * ```
 */
export async function thresholdsForCompressions(
  sparse: tfl.LayersModel,
  compressions: readonly number[],
): Promise<number[]> {
  const plain = await collapse(sparse);
  try {
    const sorted = (await flatValues(prunableKernels(plain))).map(Math.abs).sort().reverse();
    return compressions.map((c) => {
      const keep = Math.max(1, Math.round(sorted.length / c));
      return keep >= sorted.length ? 0 : (sorted[keep] as number);
    });
  } finally {
    plain.dispose();
  }
}
