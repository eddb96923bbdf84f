/**
 * @packageDocumentation
 * spred for tfjs-layers: `SpredDense` (kernel U ⊙ W with L2 regularizers, i.e. an L1 penalty that
 * `model.fit` handles unchanged), `spredify` (convert the Dense layers of a trained model, keeping
 * its outputs), `polish` (a full-batch finish to the exact sparse answer after any optimizer),
 * `l1Stationarity` (the certificate of a point, on all the data) and `collapse` (back to a plain
 * model with exact zeros where zero is certified). Spred layers save and load with tfjs's own
 * `model.save` / `tf.loadLayersModel`.
 */
export { SpredDense } from './spred-dense.js';
export { SpredKernelLayer, applyActivation } from './spred-kernel-layer.js';
export type { SpredLayerArgs, SpredActivation } from './spred-kernel-layer.js';
export { SpredConv2D } from './spred-conv2d.js';
export type { SpredConv2DArgs } from './spred-conv2d.js';
export type { SpredDenseArgs } from './spred-dense.js';
export { spredify, collapse } from './convert-model.js';
export type { SpredifyOptions, CollapseOptions } from './convert-model.js';
export { l1Stationarity, polish } from './certificate/model-certificate.js';
export type {
  ModelStationarityOptions,
  ModelPolishOptions,
} from './certificate/model-certificate.js';
export type { ModelData } from './certificate/model-data.js';
export type { StationarityCertificate, TermStationarity } from '@spredjs/core';
export type { PolishResult } from '@spredjs/optim/polish';
export { balancedFactors, collapseKernel, scaleShape } from './spred-kernel.js';
export type { SpredStructure } from './spred-kernel.js';
export { encodeSparseModel } from './sparse-format/encode-sparse-model.js';
export type { EncodeSparseModelOptions } from './sparse-format/encode-sparse-model.js';
export { decodeSparseModel } from './sparse-format/decode-sparse-model.js';
export { loadSparseModel } from './sparse-format/load-sparse-model.js';
export type { LoadSparseModelOptions } from './sparse-format/load-sparse-model.js';
export type {
  SparseModelFiles,
  SparseModelJson,
  SparseWeightSpec,
  SparseValueEncoding,
  SparsePositionEncoding,
} from './sparse-format/sparse-model-json.js';
export { shrinkModel } from './shrink-model.js';
export type { ShrinkResult } from './shrink-model.js';
export { modelTopology, modelFromTopology } from './model-topology.js';
export type { LayerJson, ModelJson } from './model-topology.js';
