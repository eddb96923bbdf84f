import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { GroupedOptimizer } from '@spred/optim';
import { randomCropFlip } from '../datasets/augment.js';
import type { KernelMask } from './masks.js';
import { trainableVariables } from './trainable-variables.js';
import { trainMasked } from './train-masked.js';

/** One epoch of one training run of the protocol. */
export interface PruneEpochEvent {
  /** What is training, e.g. `spred` or `snip @ 12.3×`. */
  readonly run: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
}

/** What every training run of a pruning curve shares: the data, the batches and the callbacks. */
export interface TrainingProtocol {
  /** Training images and one-hot labels. */
  readonly train: { readonly x: tf.Tensor; readonly y: tf.Tensor };
  readonly batchSize: number;
  /** λ of AdamW's decoupled decay on the `decayed` variables of a run. */
  readonly weightDecay: number;
  /** Random crop (padding 4) and horizontal flip of every training batch. */
  readonly augment: boolean;
  readonly onEpoch?: (event: PruneEpochEvent) => void;
  readonly onStep?: () => void;
  readonly signal?: AbortSignal;
}

/** One training run: which model, with which masks held, how long, how fast, seeded how. */
export interface TrainingRun {
  /** Its name in {@link PruneEpochEvent}s. */
  readonly run: string;
  readonly model: tfl.LayersModel;
  readonly masks: readonly KernelMask[];
  readonly epochs: number;
  readonly learningRate: number;
  /** The variables that get the decoupled decay; the rest (spred factors) get their penalty from the layers' regularizers. */
  readonly decayed: readonly tf.Variable[];
  /** Seed of the batch order and the augmentation. */
  readonly seed: number;
}

/**
 * Trains `run.model` with `run.masks` held: Adam with AdamW's decoupled decay on `run.decayed`
 * and none on the rest. Returns the seconds it took.
 *
 * @example
 * ```ts
 * const seconds = await trainingRun({ run: 'dense', model, masks: [], epochs: 5, learningRate: 1e-3, decayed: trainableVariables(model), seed: 1 }, protocol);
 * ```
 */
export async function trainingRun(run: TrainingRun, protocol: TrainingProtocol): Promise<number> {
  const rest = trainableVariables(run.model).filter((v) => !run.decayed.includes(v));
  const optimizer = new GroupedOptimizer(
    { kind: 'adamw', learningRate: run.learningRate, weightDecay: protocol.weightDecay },
    [
      { variables: run.decayed, name: 'decayed' },
      { variables: rest, weightDecay: 0, name: 'spred factors' },
    ].filter((g) => g.variables.length > 0),
  );
  const started = performance.now();
  try {
    await trainMasked(run.model, run.masks, protocol.train.x, protocol.train.y, {
      optimizer,
      epochs: run.epochs,
      batchSize: protocol.batchSize,
      seed: run.seed,
      ...(protocol.augment
        ? {
            augment: (batch: tf.Tensor, step: number) =>
              randomCropFlip(batch as tf.Tensor4D, { seed: run.seed * 1_000_003 + step }),
          }
        : {}),
      ...(protocol.onStep === undefined ? {} : { onStep: protocol.onStep }),
      ...(protocol.signal === undefined ? {} : { signal: protocol.signal }),
      onEpoch: (epoch, loss) =>
        protocol.onEpoch?.({ run: run.run, epoch, epochs: run.epochs, loss }),
    });
  } finally {
    optimizer.dispose();
  }
  return (performance.now() - started) / 1000;
}
