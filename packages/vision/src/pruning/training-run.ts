import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { GroupedOptimizer } from '@spredjs/optim';
import { randomCropFlip } from '../datasets/augment.js';
import type { KernelMask } from './masks.js';
import { spredFactors, trainableVariables } from './trainable-variables.js';
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
  /** The variables that get the decoupled decay; spred factors also get their penalty as coupled decay 2κ. */
  readonly decayed: readonly tf.Variable[];
  /** Seed of the batch order and the augmentation. */
  readonly seed: number;
}

/**
 * Trains `run.model` with `run.masks` held: Adam with AdamW's decoupled decay on `run.decayed`
 * and none on the rest, and every spred layer's penalty folded in as coupled decay 2κ on its
 * factors (so the epoch losses reported are the data term). Returns the seconds it took.
 *
 * @example
 * ```ts
 * const seconds = await trainingRun({ run: 'dense', model, masks: [], epochs: 5, learningRate: 1e-3, decayed: trainableVariables(model), seed: 1 }, protocol);
 * ```
 */
export async function trainingRun(run: TrainingRun, protocol: TrainingProtocol): Promise<number> {
  // spred's penalty κ(‖U‖² + ‖W‖²) is folded into Adam as coupled decay 2κ on each layer's factors
  // (the same gradient, no extra passes); everything else keeps its decoupled decay or none.
  const factors = spredFactors(run.model);
  const l2Of = new Map(factors.flatMap((f) => f.variables.map((v) => [v, f.l2] as const)));
  const groups = new Map<string, { variables: tf.Variable[]; weightDecay: number; l2: number }>();
  for (const v of trainableVariables(run.model)) {
    const weightDecay = run.decayed.includes(v) ? protocol.weightDecay : 0;
    const l2 = l2Of.get(v) ?? 0;
    const key = `${weightDecay}/${l2}`;
    const group = groups.get(key) ?? { variables: [], weightDecay, l2 };
    group.variables.push(v);
    groups.set(key, group);
  }
  const optimizer = new GroupedOptimizer(
    { kind: 'adamw', learningRate: run.learningRate, weightDecay: protocol.weightDecay },
    [...groups.values()].map((g, i) => ({ ...g, name: `group ${i}` })),
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
      foldedLayers: factors.map((f) => f.layer),
      onEpoch: (epoch, loss) =>
        protocol.onEpoch?.({ run: run.run, epoch, epochs: run.epochs, loss }),
    });
  } finally {
    optimizer.dispose();
  }
  return (performance.now() - started) / 1000;
}
