import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spred/core';
import { GroupedOptimizer } from '@spred/optim';
import { collapse, spredify, SpredKernelLayer, type SpredStructure } from '@spred/layers';
import { randomCropFlip } from '../datasets/augment.js';
import { copyModel } from './copy-model.js';
import { evaluateAccuracy } from './evaluate-accuracy.js';
import { trainMasked } from './finetune-masked.js';
import {
  disposeMasks,
  flatValues,
  magnitudeMasks,
  prunableKernels,
  randomMasks,
  snipMasks,
  summarizeMasks,
  thresholdMasks,
  type KernelMask,
  type PruneSummary,
} from './masks.js';

/** The methods of a pruning curve: spred and the baselines it is compared with on the same budget. */
export const PRUNE_METHODS = ['spred', 'magnitude', 'random', 'snip', 'lottery'] as const;
/** One of {@link PRUNE_METHODS}. */
export type PruneMethod = (typeof PRUNE_METHODS)[number];

/** Options of {@link pruningCurve}. */
export interface PruningCurveOptions {
  /** A fresh, uncompiled model with logits out; called once (its weights are the shared init). */
  readonly build: () => tfl.LayersModel;
  /** Training images and one-hot labels. */
  readonly train: { readonly x: tf.Tensor; readonly y: tf.Tensor };
  /** Test images and their labels. */
  readonly test: { readonly x: tf.Tensor; readonly labels: ArrayLike<number> };
  /** κ of the spred factors: the penalty is 2κ‖W‖₁ on every Dense/Conv2D kernel (group L1 if structured). */
  readonly kappa: number;
  /**
   * How spred's factors start; both are the paper's advice. 'balanced' (default): the square root
   * of the shared standard init (U = sign(W₀)√|W₀|, W = √|W₀|), so spred starts from the very
   * function the baselines start from, and short runs get sparse sooner. 'paper': U unit-variance
   * normal, W He-normal, far from balance.
   */
  readonly spredInit?: 'paper' | 'balanced';
  /** Default 'elementwise' (unstructured); 'neurons' prunes whole units / filters. */
  readonly structure?: SpredStructure;
  /** spred's prune thresholds on |U ⊙ W| (group norms if structured); each gives one point per method. */
  readonly thresholds?: readonly number[];
  /**
   * Instead of `thresholds`: target compression ratios; spred's threshold for each is the |w| that
   * keeps total/compression of its trained weights (elementwise structure only). When spred's own
   * exact zeros already exceed a target, the point has spred's (higher) compression.
   */
  readonly compressions?: readonly number[];
  /** Default all of {@link PRUNE_METHODS}. */
  readonly methods?: readonly PruneMethod[];
  /** Epochs of the first training (spred, and the dense model that magnitude pruning starts from). */
  readonly epochs: number;
  /** Epochs of finetuning after pruning (the paper: 20). Pruned-at-init methods train epochs + finetuneEpochs. */
  readonly finetuneEpochs: number;
  /** Adam learning rate. Default 1e-3. */
  readonly learningRate?: number;
  /** Adam learning rate of finetuning. Default `learningRate`. */
  readonly finetuneLearningRate?: number;
  /** Default 128. */
  readonly batchSize?: number;
  /**
   * λ of the decoupled weight decay (AdamW: v ← (1 − lr·λ)·v per step) on what spred does not
   * penalize (biases, batch-norm parameters) and on every parameter of plain training. Default 5e-4.
   */
  readonly weightDecay?: number;
  /** Random crop (padding 4) and horizontal flip of every training batch. Default false. */
  readonly augment?: boolean;
  /** Seed of batch orders, spred's factors, random masks and augmentation. Default 0. */
  readonly seed?: number;
  /** Called after every epoch of every training run. */
  readonly onEpoch?: (event: PruneEpochEvent) => void;
  /** Called after every step (progress bars: {@link plannedSteps} is the total). */
  readonly onStep?: () => void;
  /** Called with each point as it is measured (write it out: the run may be interrupted). */
  readonly onPoint?: (point: PrunePoint) => void;
  /** Checked between steps: the curve returns the points measured so far. */
  readonly signal?: AbortSignal;
}

/** One epoch of one training run of the protocol. */
export interface PruneEpochEvent {
  /** What is training, e.g. `spred` or `snip @ 12.3×`. */
  readonly run: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
}

/** One point of an accuracy-vs-compression curve. */
export interface PrunePoint {
  readonly method: PruneMethod;
  /** spred's threshold this point belongs to (baselines are pruned to spred's compression at it); null for the unpruned row. */
  readonly threshold: number | null;
  /** Prunable (Dense/Conv2D kernel) weights / the ones kept. */
  readonly compression: number;
  readonly accuracy: number;
  readonly kept: number;
  readonly total: number;
  /** Per-kernel sparsity after pruning. */
  readonly layers: PruneSummary['layers'];
  /** Wall-clock seconds of the training run behind this point (finetuning, or training from the pruned init). */
  readonly seconds: number;
}

/** The result of {@link pruningCurve}. */
export interface PruningCurveResult {
  readonly points: PrunePoint[];
  /** False when interrupted through `signal`. */
  readonly complete: boolean;
}

/** Number of optimizer steps {@link pruningCurve} takes with these options (for a progress bar). */
export function plannedSteps(
  options: Pick<
    PruningCurveOptions,
    'train' | 'epochs' | 'finetuneEpochs' | 'thresholds' | 'compressions' | 'methods' | 'batchSize'
  >,
): number {
  const methods = options.methods ?? PRUNE_METHODS;
  const perEpoch = Math.ceil((options.train.x.shape[0] as number) / (options.batchSize ?? 128));
  const { epochs: e, finetuneEpochs: f } = options;
  const needsDense = methods.some((m) => m === 'magnitude' || m === 'random' || m === 'snip');
  const perThreshold = methods.reduce(
    (s, m) => s + (m === 'spred' || m === 'magnitude' ? f : e + f),
    0,
  );
  const points = (options.thresholds ?? options.compressions ?? []).length;
  return perEpoch * (e + (needsDense ? e : 0) + points * perThreshold);
}

/**
 * The pruning protocol of the paper on one model and data set, every method on the same
 * initialization and budget:
 * - **spred**: the model's Dense/Conv2D kernels become spred factors U ⊙ W (see `spredInit`), trained
 *   `epochs` with the smooth penalty κ(‖U‖² + ‖W‖²) = 2κ‖W‖₁ and a small decoupled weight decay on
 *   the rest; then for each threshold, collapse to a plain model with exact zeros at |w| ≤ threshold
 *   and finetune `finetuneEpochs` with the zeros held.
 * - **magnitude**: the dense model trained `epochs` (weight decay on everything), pruned globally
 *   by |w| to spred's compression at that threshold, finetuned `finetuneEpochs`.
 * - **random**, **snip** (connection sensitivity on one batch at init), **lottery** (spred's mask on
 *   the initial weights): pruned at init to the same compression, trained `epochs + finetuneEpochs`.
 *
 * Every method also gets an unpruned row (threshold null, compression 1): the trained spred
 * model for spred, the trained dense model for the others.
 *
 * @example
 * ```ts
 * const curve = await pruningCurve({
 *   build: () => cifarResnet(8, { inputShape: [28, 28, 1], seed: 0 }),
 *   train, test, kappa: 5e-5, thresholds: [1e-3, 1e-2], epochs: 5, finetuneEpochs: 2,
 * });
 * ```
 */
export async function pruningCurve(options: PruningCurveOptions): Promise<PruningCurveResult> {
  const methods = options.methods ?? PRUNE_METHODS;
  checkOptions(options, methods);
  const seed = options.seed ?? 0;
  const lr = options.learningRate ?? 1e-3;
  const finetuneLr = options.finetuneLearningRate ?? lr;
  const weightDecay = options.weightDecay ?? 5e-4;
  const batchSize = options.batchSize ?? 128;
  const points: PrunePoint[] = [];
  const stopped = () => options.signal?.aborted === true;
  const record = (point: PrunePoint) => {
    points.push(point);
    options.onPoint?.(point);
  };
  const accuracy = (model: tfl.LayersModel) =>
    evaluateAccuracy(model, options.test.x, options.test.labels);

  /**
   * Trains `model` with `masks` held: Adam, with AdamW's decoupled decay on `decayed` (the rest —
   * spred factors — get their penalty from the layers' regularizers). Returns the seconds it took.
   */
  const fit = async (
    run: string,
    model: tfl.LayersModel,
    masks: readonly KernelMask[],
    epochs: number,
    rate: number,
    decayed: readonly tf.Variable[],
    runSeed: number,
  ) => {
    const rest = allWeights(model).filter((v) => !decayed.includes(v));
    const optimizer = new GroupedOptimizer(
      { kind: 'adamw', learningRate: rate, weightDecay },
      [
        { variables: decayed, name: 'decayed' },
        { variables: rest, weightDecay: 0, name: 'spred factors' },
      ].filter((g) => g.variables.length > 0),
    );
    const started = performance.now();
    try {
      await trainMasked(model, masks, options.train.x, options.train.y, {
        optimizer,
        epochs,
        batchSize,
        seed: runSeed,
        ...(options.augment === true
          ? {
              augment: (batch: tf.Tensor, step: number) =>
                randomCropFlip(batch as tf.Tensor4D, { seed: runSeed * 1_000_003 + step }),
            }
          : {}),
        ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onEpoch: (epoch, loss) => options.onEpoch?.({ run, epoch, epochs, loss }),
      });
    } finally {
      optimizer.dispose();
    }
    return (performance.now() - started) / 1000;
  };
  const allWeights = (model: tfl.LayersModel) =>
    model.trainableWeights.map((w) => w.read() as tf.Variable);
  /** The mask set of `masks` laid onto another model with the same kernels (by position). */
  const onto = (model: tfl.LayersModel, masks: readonly KernelMask[]): KernelMask[] =>
    prunableKernels(model).map((k, i) => ({
      name: k.name,
      mask: (masks[i] as KernelMask).mask.clone(),
    }));
  const init = options.build();
  const owned: tfl.LayersModel[] = [init];
  const kernels = prunableKernels(init);
  const total = kernels.reduce((sum, k) => sum + k.size, 0);
  const unpruned = (method: PruneMethod, value: number, runSeconds: number) =>
    record({
      seconds: runSeconds,
      method,
      threshold: null,
      compression: 1,
      accuracy: value,
      kept: total,
      total,
      layers: kernels.map((k) => ({ name: k.name, total: k.size, kept: k.size, sparsity: 0 })),
    });
  try {
    // spred, trained once; its pruned copies come from collapse at each threshold.
    const sparse = await spredify(init, {
      kappa: options.kappa,
      structure: options.structure ?? 'elementwise',
      weights: (options.spredInit ?? 'balanced') === 'paper' ? 'reinitialize' : 'keep',
      seed,
    });
    owned.push(sparse);
    const spredSeconds = await fit(
      'spred',
      sparse,
      [],
      options.epochs,
      lr,
      nonFactorWeights(sparse),
      seed,
    );
    if (stopped()) return { points, complete: false };
    if (methods.includes('spred')) unpruned('spred', accuracy(sparse), spredSeconds);

    let dense: tfl.LayersModel | undefined;
    if (methods.some((m) => m === 'magnitude' || m === 'random' || m === 'snip')) {
      dense = await copyModel(init);
      owned.push(dense);
      const denseSeconds = await fit(
        'dense',
        dense,
        [],
        options.epochs,
        lr,
        allWeights(dense),
        seed + 1,
      );
      if (stopped()) return { points, complete: false };
      const denseAccuracy = accuracy(dense);
      for (const m of methods) if (m !== 'spred') unpruned(m, denseAccuracy, denseSeconds);
    }

    const thresholds =
      options.thresholds ?? (await thresholdsFor(sparse, options.compressions ?? []));
    for (const [t, threshold] of thresholds.entries()) {
      const pruned = await collapse(sparse, { threshold });
      const spredMasks = thresholdMasks(pruned, 0);
      const summary = summarizeMasks(spredMasks);
      const compression = summary.compression;
      const point = (
        method: PruneMethod,
        model: tfl.LayersModel,
        masks: KernelMask[],
        runSeconds: number,
      ) => {
        const s = summarizeMasks(masks);
        record({
          seconds: runSeconds,
          method,
          threshold,
          compression: s.compression,
          accuracy: accuracy(model),
          kept: s.kept,
          total: s.total,
          layers: s.layers,
        });
      };
      const label = `@ ${compression.toFixed(1)}×`;
      const runSeed = seed + 100 * (t + 1);
      try {
        if (methods.includes('spred')) {
          const runSeconds = await fit(
            `spred ${label}`,
            pruned,
            spredMasks,
            options.finetuneEpochs,
            finetuneLr,
            allWeights(pruned),
            runSeed,
          );
          if (stopped()) break;
          point('spred', pruned, spredMasks, runSeconds);
        }
        const baselines: [PruneMethod, () => Promise<[tfl.LayersModel, KernelMask[], number]>][] = [
          [
            'magnitude',
            async () => {
              const model = await copyModel(dense as tfl.LayersModel);
              return [model, magnitudeMasks(model, compression), options.finetuneEpochs];
            },
          ],
          [
            'random',
            async () => {
              const model = await copyModel(init);
              return [
                model,
                randomMasks(model, compression, runSeed),
                options.epochs + options.finetuneEpochs,
              ];
            },
          ],
          [
            'snip',
            async () => {
              const model = await copyModel(init);
              const n = Math.min(options.train.x.shape[0] as number, batchSize);
              const [x, y] = [tf.slice(options.train.x, 0, n), tf.slice(options.train.y, 0, n)];
              const masks = snipMasks(model, x, y, compression);
              tf.dispose([x, y]);
              return [model, masks, options.epochs + options.finetuneEpochs];
            },
          ],
          [
            'lottery',
            async () => {
              const model = await copyModel(init);
              return [model, onto(model, spredMasks), options.epochs + options.finetuneEpochs];
            },
          ],
        ];
        // A threshold above every weight leaves nothing to match: the baselines have no such point.
        for (const [method, make] of summary.kept === 0 ? [] : baselines) {
          if (!methods.includes(method) || stopped()) continue;
          const [model, masks, epochs] = await make();
          try {
            const rate = method === 'magnitude' ? finetuneLr : lr;
            const runSeconds = await fit(
              `${method} ${label}`,
              model,
              masks,
              epochs,
              rate,
              allWeights(model),
              runSeed + 1,
            );
            if (!stopped()) point(method, model, masks, runSeconds);
          } finally {
            disposeMasks(masks);
            model.dispose();
          }
        }
      } finally {
        disposeMasks(spredMasks);
        pruned.dispose();
      }
      if (stopped()) break;
    }
    return { points, complete: !stopped() };
  } finally {
    for (const model of owned) model.dispose();
  }
}

/**
 * spred's threshold for each target compression: the |w| of the trained kernels below which all
 * but total/compression of them lie (the first one pruned, so |w| > threshold keeps the rest).
 */
async function thresholdsFor(
  sparse: tfl.LayersModel,
  compressions: readonly number[],
): Promise<number[]> {
  const plain = await collapse(sparse);
  try {
    const sorted = flatValues(prunableKernels(plain)).map(Math.abs).sort().reverse();
    return compressions.map((c) => {
      const keep = Math.max(1, Math.round(sorted.length / c));
      return keep >= sorted.length ? 0 : (sorted[keep] as number);
    });
  } finally {
    plain.dispose();
  }
}

/** The trainable weights of a spred model that the spred penalty does not reach (biases, norms, other layers). */
function nonFactorWeights(model: tfl.LayersModel): tf.Variable[] {
  return model.layers.flatMap((layer) =>
    layer.trainableWeights
      .filter((w) => !(layer instanceof SpredKernelLayer) || /bias$/.test(w.originalName))
      .map((w) => w.read() as tf.Variable),
  );
}

function checkOptions(options: PruningCurveOptions, methods: readonly PruneMethod[]): void {
  if (!(options.kappa > 0))
    throw new SpredInputError(`kappa must be positive, got ${options.kappa}`);
  const points = options.thresholds ?? options.compressions;
  if ((options.thresholds === undefined) === (options.compressions === undefined))
    throw new SpredInputError('give either thresholds or compressions');
  if (points === undefined || points.length === 0)
    throw new SpredInputError('thresholds / compressions must be a non-empty list');
  if (options.thresholds?.some((t) => !(t >= 0)))
    throw new SpredInputError(
      `thresholds must be numbers ≥ 0, got ${options.thresholds.join(',')}`,
    );
  if (options.compressions?.some((c) => !(Number.isFinite(c) && c >= 1)))
    throw new SpredInputError(
      `compressions must be numbers ≥ 1, got ${options.compressions.join(',')}`,
    );
  if (options.compressions !== undefined && (options.structure ?? 'elementwise') !== 'elementwise')
    throw new SpredInputError(
      "compressions need structure 'elementwise' (structured pruning: give thresholds)",
    );
  const unknown = methods.filter((m) => !PRUNE_METHODS.includes(m));
  if (unknown.length > 0 || methods.length === 0)
    throw new SpredInputError(
      `unknown pruning method ${unknown.join(', ')} (choose from ${PRUNE_METHODS.join(', ')})`,
    );
  for (const [name, value] of [
    ['epochs', options.epochs],
    ['finetuneEpochs', options.finetuneEpochs],
  ] as const)
    if (!(Number.isInteger(value) && value >= 0))
      throw new SpredInputError(`${name} must be a whole number ≥ 0, got ${value}`);
  const n = options.train.x.shape[0];
  if (options.train.y.shape[0] !== n)
    throw new SpredInputError(
      `the training set has ${n} images but ${options.train.y.shape[0]} labels`,
    );
}
