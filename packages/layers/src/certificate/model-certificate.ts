import {
  collapseCertified,
  l1StationarityOfTerms,
  type L1Term,
  type StationarityCertificate,
} from '@spredjs/core';
import { polishTerms, type PolishOptions, type PolishResult } from '@spredjs/optim/polish';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { modelDataLoss, type ModelData } from './model-data.js';
import { inModelValueSpace, modelParts, regularizerLoss } from './model-parts.js';

/** Options of {@link l1Stationarity}: the data, and the tolerance the counts use. */
export interface ModelStationarityOptions extends ModelData {
  /** Violations up to this, relative to 2κ, count as met. Default 1e-4. */
  readonly tol?: number;
}

/** Options of {@link polish}: the data and when to stop. */
export interface ModelPolishOptions
  extends
    ModelData,
    Pick<PolishOptions, 'tol' | 'maxIterations' | 'historySize' | 'signal' | 'onIteration'> {}

/**
 * Certifies a spred model at its current weights: for the loss it was compiled with on all of
 * (x, y) (plus its other layers' regularizers) and the L1 penalty 2κ‖kernel‖₁ of every spred
 * layer (group L1 for structured ones), it checks every kernel entry or group: at zero, that
 * ‖∂L/∂V_g‖ ≤ 2κ; elsewhere, that ∂L/∂V_g + 2κ·V_g/‖V_g‖ = 0; and that every other trainable
 * weight has zero gradient. It reports the largest violation relative to 2κ, the certified share
 * and the figures per layer, and leaves the model's weights exactly as they were.
 *
 * @example
 * ```ts
 * const certificate = await l1Stationarity(sparse, { x, y });
 * certificate.maxViolation; // ≈ 1 after Adam's mini-batches; ≤ 1e-4 after polish()
 * ```
 */
export async function l1Stationarity(
  model: tfl.LayersModel,
  options: ModelStationarityOptions,
): Promise<StationarityCertificate> {
  const { parts, loss } = await modelObjective(model, options);
  return inModelValueSpace(model, parts, false, (terms) =>
    l1StationarityOfTerms(terms, loss, { variables: parts.free, tol: options.tol }),
  );
}

/**
 * A full-batch finish after any training: from wherever `model.fit` (SGD, Adam, anything) left a
 * spred model, it minimizes the compiled loss on all of (x, y) plus 2κ‖kernel‖₁ of every spred
 * layer over the kernels and every other trainable weight, by orthant-wise L-BFGS on the kernels
 * themselves, so that weights which belong at zero land on exactly zero, until the stationarity
 * certificate holds within `tol`. For a convex model (a linear or logistic layer) that is the
 * exact L1 answer; for a network, a certified stationary point near where training ended. The
 * spred layers end balanced, exact zeros as U = W = 0, so `collapse(model, { x, y })` keeps
 * exactly these zeros. On an error nothing is modified.
 *
 * @example
 * ```ts
 * await sparse.fit(x, y, { epochs: 20 });
 * const { certificate } = await polish(sparse, { x, y });
 * certificate.certified; // true: every zero is certified, every other weight stationary
 * ```
 */
export async function polish(
  model: tfl.LayersModel,
  options: ModelPolishOptions,
): Promise<PolishResult> {
  const { parts, loss } = await modelObjective(model, options);
  const { x: _x, y: _y, batchSize: _b, ...rest } = options;
  return inModelValueSpace(model, parts, true, (terms) =>
    polishTerms(terms, loss, { ...rest, variables: parts.free }),
  );
}

/**
 * The kernels of the spred layers with exact zeros exactly where zero is certified on the data
 * (`collapseCertified`), by layer name; the model's weights are left as they were.
 */
export async function certifiedKernels(
  model: tfl.LayersModel,
  options: ModelStationarityOptions,
): Promise<{ kernels: Map<string, tf.Tensor>; certificate: StationarityCertificate }> {
  const { parts, loss } = await modelObjective(model, options);
  return inModelValueSpace(model, parts, false, async (terms) => {
    const certificate = await collapseCertified(terms, loss, {
      variables: parts.free,
      tol: options.tol,
    });
    const kernels = new Map<string, tf.Tensor>();
    parts.spred.forEach((layer, k) => {
      const [w] = (terms[k] as L1Term).variables as [tf.Variable];
      kernels.set(layer.name, w.clone());
    });
    return { kernels, certificate };
  });
}

/**
 * What the certificate, polish and the certified collapse of a model work on: its parts, and its
 * objective's smooth part on the data (the compiled loss in batches, the other layers'
 * regularizers), checked before anything changes.
 */
async function modelObjective(model: tfl.LayersModel, data: ModelData) {
  const parts = modelParts(model);
  const loss = [...(await modelDataLoss(model, data)), ...regularizerLoss(parts)];
  return { parts, loss };
}
