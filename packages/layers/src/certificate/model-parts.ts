import { SpredInputError, type L1Term } from '@spredjs/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredKernelLayer } from '../spred-kernel-layer.js';

/** What a model's objective is made of, for the certificate and polish. */
export interface ModelParts {
  /** The trainable spred layers: their kernels carry the L1 terms. */
  readonly spred: readonly SpredKernelLayer[];
  /** Every other trainable variable (biases, other layers' weights): no L1 term. */
  readonly free: readonly tf.Variable[];
  /** The other layers' weight regularizers (smooth terms of the objective). */
  readonly regularizers: readonly (() => tf.Scalar)[];
}

/** The trainable spred layers, the other trainable variables and the regularizers of a model. */
export function modelParts(model: tfl.LayersModel): ModelParts {
  const spred: SpredKernelLayer[] = [];
  const regularizers: (() => tf.Scalar)[] = [];
  const visit = (layers: readonly tfl.layers.Layer[]) => {
    for (const layer of layers) {
      const nested = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
      if (nested !== undefined) visit(nested);
      else if (layer instanceof SpredKernelLayer) {
        if (layer.trainable) spred.push(layer);
      } else regularizers.push(...(layer.losses as (() => tf.Scalar)[]));
    }
  };
  visit(model.layers);
  if (spred.length === 0)
    throw new SpredInputError(
      'the model has no trainable spred layer (SpredDense or SpredConv2D): spredify it first',
    );
  const factors = new Set(spred.flatMap((layer) => layer.factors().map((v) => v.id)));
  const free = model.trainableWeights
    .map((w) => w.read() as tf.Variable)
    .filter((v) => !factors.has(v.id));
  return { spred, free, regularizers };
}

/** The smooth regularizers as one more closure of the data loss (none if there are none). */
export function regularizerLoss(parts: ModelParts): (() => tf.Scalar)[] {
  if (parts.regularizers.length === 0) return [];
  return [() => tf.tidy(() => tf.addN(parts.regularizers.map((r) => r())) as tf.Scalar)];
}

/**
 * Runs `work` with every spred layer in value space (U = 1, W = V). With `keep`, a successful
 * run ends with the spred layers rebalanced at the point `work` left; otherwise, and whenever
 * `work` throws, every trainable weight of the model is put back exactly as it was.
 */
export async function inModelValueSpace<T>(
  model: tfl.LayersModel,
  parts: ModelParts,
  keep: boolean,
  work: (terms: L1Term[]) => Promise<T>,
): Promise<T> {
  const saved = model.trainableWeights.map((w) => {
    const v = w.read() as tf.Variable;
    return { v, value: tf.clone(v) };
  });
  const restore = () => {
    for (const { v, value } of saved) v.assign(value);
  };
  try {
    const terms = parts.spred.map((layer) => layer.valueSpace());
    const result = await work(terms);
    if (keep) for (const layer of parts.spred) await layer.rebalance();
    else restore();
    return result;
  } catch (error) {
    restore();
    throw error;
  } finally {
    for (const { value } of saved) value.dispose();
  }
}
