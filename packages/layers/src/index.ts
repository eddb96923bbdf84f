/**
 * @packageDocumentation
 * spred for tfjs-layers: `SpredDense` (kernel U ⊙ W with L2 regularizers, i.e. an L1 penalty that
 * `model.fit` handles unchanged), `spredify` (convert the Dense layers of a trained model, keeping
 * its outputs) and `collapse` (back to a plain model with exact zeros). Spred layers save and load
 * with tfjs's own `model.save` / `tf.loadLayersModel`.
 */
export { SpredDense } from './spred-dense.js';
export { SpredKernelLayer, applyActivation } from './spred-kernel-layer.js';
export type { SpredLayerArgs, SpredActivation } from './spred-kernel-layer.js';
export { SpredConv2D } from './spred-conv2d.js';
export type { SpredConv2DArgs } from './spred-conv2d.js';
export type { SpredDenseArgs } from './spred-dense.js';
export { spredify, collapse } from './convert-model.js';
export type { SpredifyOptions } from './convert-model.js';
export { balancedFactors, collapseKernel, scaleShape } from './spred-kernel.js';
export type { SpredStructure } from './spred-kernel.js';
