import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { KernelMask } from '../masks.js';

/** What a baseline of the pruning curve starts from at one of spred's thresholds. */
export interface BaselineContext {
  /** The shared initialization (not to be trained: baselines copy it). */
  readonly init: tfl.LayersModel;
  /** The dense model trained `epochs` from `init` (undefined when no baseline needs it). */
  readonly dense: tfl.LayersModel | undefined;
  /** spred's keep-masks at this threshold. */
  readonly spredMasks: readonly KernelMask[];
  /** spred's compression at this threshold: the baseline prunes to it. */
  readonly compression: number;
  /** Seed of this threshold's random choices. */
  readonly seed: number;
  readonly epochs: number;
  readonly finetuneEpochs: number;
  readonly learningRate: number;
  readonly finetuneLearningRate: number;
  /** Training images and one-hot labels (SNIP and GraSP score one batch of them). */
  readonly train: { readonly x: tf.Tensor; readonly y: tf.Tensor };
  readonly batchSize: number;
  /** The per-layer floor every method keeps (see `MaskOptions`; 0: off). */
  readonly minimumPerLayer: number;
}

/** A pruned model to train, the masks it keeps (both owned by the caller), and its budget. */
export interface BaselineRun {
  readonly model: tfl.LayersModel;
  readonly masks: KernelMask[];
  readonly epochs: number;
  readonly learningRate: number;
}

/** A pruning method spred is compared with: builds its pruned model at spred's compression. */
export type PruningBaseline = (context: BaselineContext) => Promise<BaselineRun>;
