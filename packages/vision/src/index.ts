/**
 * @packageDocumentation
 * Images for spred: grayscale photo decoding (PNG, JPEG), seeded patch extraction with mean
 * removal, ZCA whitening, and dictionary atoms written as a PNG grid; MNIST / Fashion-MNIST /
 * CIFAR readers, normalization and crop/flip augmentation; MLPs, LeNet-5 and ResNets; node sparsity; and
 * the pruning protocol (spred vs magnitude, random, SNIP, SynFlow, GraSP and lottery tickets).
 */
export { readGrayImage } from './images/gray-image.js';
export type { GrayImage } from './images/gray-image.js';
export { writeAtomGrid } from './images/atom-grid.js';
export { extractPatches } from './patches/extract-patches.js';
export { fitZca, applyZca } from './patches/zca-whitening.js';
export { unitMeanSquareScale, scalePatches } from './patches/unit-mean-square.js';
export { preparePatches } from './patches/prepare-patches.js';
export type { PreparePatchesOptions, PreparedPatches } from './patches/prepare-patches.js';
export type { ZcaWhitening } from './patches/zca-whitening.js';
export { symmetricEigen } from './patches/symmetric-eigen.js';
export { fitGabor, gaborShare } from './patches/gabor-fit.js';
export type { GaborFit } from './patches/gabor-fit.js';
export { readIdx, readIdxDataset, encodeIdx } from './datasets/idx.js';
export type { IdxArray, ImageDataset } from './datasets/idx.js';
export { readCifarBatches } from './datasets/cifar.js';
export { readImageFolder, IMAGE_DATASETS, DATASET_CLASSES } from './datasets/read-image-folder.js';
export type { ImageDatasetName } from './datasets/read-image-folder.js';
export { readClassFolders } from './datasets/read-class-folders.js';
export type { ClassFolders } from './datasets/read-class-folders.js';
export { decodeImage } from './images/decode-image.js';
export type { RgbaImage } from './images/decode-image.js';
export { imageTensors, channelStats } from './datasets/image-tensors.js';
export type { ImageTensors, ChannelStats } from './datasets/image-tensors.js';
export { randomCropFlip } from './datasets/augment.js';
export type { CropFlipOptions } from './datasets/augment.js';
export { mlp } from './models/mlp.js';
export type { MlpOptions } from './models/mlp.js';
export { lenet5 } from './models/lenet5.js';
export type { LeNet5Options } from './models/lenet5.js';
export { resnet, resnet18, cifarResnet, trainableParameterCount } from './models/resnet.js';
export type { ResNetOptions, ResNetStage } from './models/resnet.js';
export {
  nodeSparsity,
  nodeSparsitySweep,
  nodeSparsityLearningRates,
  fitLine,
} from './analysis/node-sparsity.js';
export type {
  NodeSparsityOptimizer,
  NodeSparsitySchedule,
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
  topScoreMasks,
  applyMasks,
  summarizeMasks,
  disposeMasks,
} from './pruning/masks.js';
export type { KernelMask, MaskOptions, PruneSummary } from './pruning/masks.js';
export { synflowMasks } from './pruning/synflow.js';
export type { SynflowOptions } from './pruning/synflow.js';
export { graspMasks, hessianGradientProduct } from './pruning/grasp.js';
export type { GraspOptions, HessianGradient, HessianProduct } from './pruning/grasp.js';
export { trainMasked } from './pruning/train-masked.js';
export {
  evaluateAccuracy,
  evaluateAccuracyAsync,
  predictClasses,
} from './pruning/evaluate-accuracy.js';
export { denseConvFlops } from './pruning/flops.js';
export { copyModel } from './pruning/copy-model.js';
export { logitsClassifier, withOutputActivation } from './pruning/user-model.js';
export type { LogitsClassifier, OutputActivation } from './pruning/user-model.js';
export { pruningCurve, plannedSteps, PRUNE_METHODS } from './pruning/pruning-curve.js';
export type {
  PruningCurveOptions,
  PruningCurveResult,
  PrunePoint,
  PruneMethod,
  PruneEpochEvent,
  TrainedWeights,
} from './pruning/pruning-curve.js';
export type { MaskedTrainingOptions } from './pruning/train-masked.js';
export { pruningFront, plannedFrontSteps } from './pruning/pruning-front.js';
export type {
  FrontPoint,
  KappaEvent,
  PruningFrontOptions,
  PruningFrontResult,
} from './pruning/pruning-front.js';
export { paretoFront, frontsByMethod } from './pruning/pareto-front.js';
export type { ParetoCandidate } from './pruning/pareto-front.js';
