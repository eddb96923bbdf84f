/**
 * @packageDocumentation
 * Images for spred: grayscale photo decoding (PNG, JPEG), seeded patch extraction with mean
 * removal, ZCA whitening, and dictionary atoms written as a PNG grid.
 */
export { readGrayImage } from './images/gray-image.js';
export type { GrayImage } from './images/gray-image.js';
export { writeAtomGrid } from './images/atom-grid.js';
export { extractPatches } from './patches/extract-patches.js';
export { fitZca, applyZca } from './patches/zca-whitening.js';
export type { ZcaWhitening } from './patches/zca-whitening.js';
export { symmetricEigen } from './patches/symmetric-eigen.js';
export { readIdx, readIdxDataset } from './datasets/idx.js';
export type { IdxArray, ImageDataset } from './datasets/idx.js';
export { readCifarBatches } from './datasets/cifar.js';
export { resnet, resnet18, cifarResnet, trainableParameterCount } from './models/resnet.js';
export type { ResNetOptions, ResNetStage } from './models/resnet.js';
export { nodeSparsity, nodeSparsitySweep, fitLine } from './analysis/node-sparsity.js';
export type {
  NodeSparsityReading,
  NodeSparsityRow,
  NodeSparsitySweepOptions,
} from './analysis/node-sparsity.js';
export {
  prunableKernels,
  thresholdMasks,
  magnitudeMasks,
  randomMasks,
  snipMasks,
  applyMasks,
  summarizeMasks,
  disposeMasks,
} from './pruning/masks.js';
export type { KernelMask, PruneSummary } from './pruning/masks.js';
export { trainMasked } from './pruning/finetune-masked.js';
export type { MaskedTrainingOptions } from './pruning/finetune-masked.js';
