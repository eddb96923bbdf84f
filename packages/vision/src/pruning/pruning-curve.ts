import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { collapse, spredify, type SpredStructure } from '@spredjs/layers';
import type { BaselineContext, PruningBaseline } from './baselines/baseline.js';
import { graspBaseline } from './baselines/grasp.js';
import { lotteryBaseline } from './baselines/lottery.js';
import { magnitudeBaseline } from './baselines/magnitude.js';
import { randomBaseline } from './baselines/random.js';
import { snipBaseline } from './baselines/snip.js';
import { synflowBaseline } from './baselines/synflow.js';
import { checkCurveOptions } from './check-curve-options.js';
import { thresholdsForCompressions } from './compression-thresholds.js';
import { copyModel } from './copy-model.js';
import { evaluateAccuracyAsync } from './evaluate-accuracy.js';
import { denseConvFlops } from './flops.js';
import {
  disposeMasks,
  prunableKernels,
  summarizeMasks,
  thresholdMasks,
  type KernelMask,
  type PruneSummary,
} from './masks.js';
import { PRUNE_METHODS, type PruneMethod } from './prune-methods.js';
import { nonFactorVariables, trainableVariables } from './trainable-variables.js';
import { trainingRun, type PruneEpochEvent, type TrainingProtocol } from './training-run.js';

export { PRUNE_METHODS, type PruneMethod } from './prune-methods.js';
export type { PruneEpochEvent } from './training-run.js';

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
   * Also a point at spred's certified zeros, before the threshold points: the trained model
   * collapsed on the training data (`collapse(model, { x, y })`: exact zeros exactly where zero is
   * certified under the data loss, no threshold), finetuned like every point, the baselines at its
   * compression. Default true.
   */
  readonly certifiedPoint?: boolean;
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
  /**
   * Keep at least this many weights in every prunable kernel, for every method alike (spred: the
   * largest |w|; the baselines: their best scores), so that no method wins or loses by emptying a
   * layer. Default 0 (off).
   */
  readonly minimumPerLayer?: number;
  /** Seed of batch orders, spred's factors, random masks and augmentation. Default 0. */
  readonly seed?: number;
  /** Called after every epoch of every training run. */
  readonly onEpoch?: (event: PruneEpochEvent) => void;
  /** Called after every step (progress bars: {@link plannedSteps} is the total). */
  readonly onStep?: () => void;
  /** Called with each point as it is measured (write it out: the run may be interrupted). */
  readonly onPoint?: (point: PrunePoint) => void;
  /**
   * Called with spred's model at each of its pruned points (the certified one and each
   * threshold), finetuned and measured, before the curve disposes of it: the place to export it.
   * Awaited. The model's kernels hold exact zeros where pruned; its output is the logits.
   */
  readonly onSpredModel?: (point: PrunePoint, model: tfl.LayersModel) => void | Promise<void>;
  /** Called once spred and the dense model are trained, before pruning (the paper's Figure 5, left). */
  readonly onTrained?: (weights: TrainedWeights) => void;
  /** Checked between steps: the curve returns the points measured so far. */
  readonly signal?: AbortSignal;
}

/** One point of an accuracy-vs-compression curve. */
export interface PrunePoint {
  readonly method: PruneMethod;
  /**
   * spred's read-out this point belongs to (baselines are pruned to spred's compression at it): a
   * threshold on |U ⊙ W|, 'certified' for the certified zeros, null for the unpruned row.
   */
  readonly threshold: number | 'certified' | null;
  /** Prunable (Dense/Conv2D kernel) weights / the ones kept. */
  readonly compression: number;
  readonly accuracy: number;
  readonly kept: number;
  readonly total: number;
  /**
   * Multiply-adds of one input through the pruned model's Dense/Conv2D layers, whole units and
   * filters removed (see `denseConvFlops`); the unpruned rows have the dense model's.
   */
  readonly flops: number;
  /** The dense model's FLOPs / this point's: above 1 where whole units or filters are pruned. */
  readonly flopCompression: number;
  /** Per-kernel sparsity after pruning. */
  readonly layers: PruneSummary['layers'];
  /** Wall-clock seconds of the training run behind this point (finetuning, or training from the pruned init). */
  readonly seconds: number;
}

/**
 * The weights of the largest prunable kernel after the first training: spred's U ⊙ W and the
 * plainly trained dense model's, for a histogram of how spred's training piles weights at zero.
 */
export interface TrainedWeights {
  /** Name of the kernel's layer (e.g. `dense_Dense1`). */
  readonly layer: string;
  /** κ of spred's training. */
  readonly kappa: number;
  /** spred's kernel values U ⊙ W, flattened. */
  readonly spred: Float32Array;
  /** The dense model's kernel values; null when no method needed the dense model. */
  readonly dense: Float32Array | null;
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
    | 'train'
    | 'epochs'
    | 'finetuneEpochs'
    | 'thresholds'
    | 'compressions'
    | 'methods'
    | 'batchSize'
    | 'certifiedPoint'
  >,
): number {
  const methods = options.methods ?? PRUNE_METHODS;
  const perEpoch = Math.ceil((options.train.x.shape[0] as number) / (options.batchSize ?? 128));
  const { epochs: e, finetuneEpochs: f } = options;
  const needsDense = methods.some(needsDenseModel);
  const perThreshold = methods.reduce(
    (s, m) => s + (m === 'spred' || m === 'magnitude' ? f : e + f),
    0,
  );
  const points =
    (options.thresholds ?? options.compressions ?? []).length +
    (options.certifiedPoint === false ? 0 : 1);
  return perEpoch * (e + (needsDense ? e : 0) + points * perThreshold);
}

/**
 * The pruning protocol of the paper on one model and data set, every method on the same
 * initialization and budget:
 * - **spred**: the model's Dense/Conv2D kernels become spred factors U ⊙ W (see `spredInit`), trained
 *   `epochs` with the smooth penalty κ(‖U‖² + ‖W‖²) = 2κ‖W‖₁ and a small decoupled weight decay on
 *   the rest; then collapse to a plain model with exact zeros where zero is certified on the
 *   training data (the 'certified' point), and for each threshold at |w| ≤ threshold, and finetune
 *   `finetuneEpochs` with the zeros held.
 * - **magnitude**: the dense model trained `epochs` (weight decay on everything), pruned globally
 *   by |w| to spred's compression at that threshold, finetuned `finetuneEpochs`.
 * - **random**, **snip** (connection sensitivity on one batch at init), **synflow** (data-free
 *   iterative synaptic flow), **grasp** (gradient-flow preservation on one batch), **lottery**
 *   (spred's mask on the initial weights): pruned at init to the same compression, trained
 *   `epochs + finetuneEpochs`.
 * - with `minimumPerLayer` m, every method's mask keeps at least m weights of every kernel.
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
  checkCurveOptions(options, methods);
  const seed = options.seed ?? 0;
  const lr = options.learningRate ?? 1e-3;
  const finetuneLr = options.finetuneLearningRate ?? lr;
  const batchSize = options.batchSize ?? 128;
  const minimumPerLayer = options.minimumPerLayer ?? 0;
  const protocol: TrainingProtocol = {
    train: options.train,
    batchSize,
    weightDecay: options.weightDecay ?? 5e-4,
    augment: options.augment === true,
    ...(options.onEpoch === undefined ? {} : { onEpoch: options.onEpoch }),
    ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const points: PrunePoint[] = [];
  const stopped = () => options.signal?.aborted === true;
  const record = (point: PrunePoint) => {
    points.push(point);
    options.onPoint?.(point);
  };
  const accuracy = (model: tfl.LayersModel) =>
    evaluateAccuracyAsync(model, options.test.x, options.test.labels);
  const measured = async (
    method: PruneMethod,
    threshold: number | 'certified',
    model: tfl.LayersModel,
    masks: readonly KernelMask[],
    seconds: number,
  ) => {
    const s = await summarizeMasks(masks);
    const flops = await denseConvFlops(model);
    const point: PrunePoint = {
      seconds,
      method,
      threshold,
      compression: s.compression,
      accuracy: await accuracy(model),
      kept: s.kept,
      total: s.total,
      flops,
      flopCompression: flops === 0 ? Infinity : denseFlops / flops,
      layers: s.layers,
    };
    record(point);
    return point;
  };
  const init = options.build();
  const owned: tfl.LayersModel[] = [init];
  const kernels = prunableKernels(init);
  const total = kernels.reduce((sum, k) => sum + k.size, 0);
  const denseFlops = await denseConvFlops(init);
  const unpruned = (method: PruneMethod, value: number, runSeconds: number) =>
    record({
      seconds: runSeconds,
      method,
      threshold: null,
      compression: 1,
      accuracy: value,
      kept: total,
      total,
      flops: denseFlops,
      flopCompression: 1,
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
    const spredSeconds = await trainingRun(
      {
        run: 'spred',
        model: sparse,
        masks: [],
        epochs: options.epochs,
        learningRate: lr,
        decayed: nonFactorVariables(sparse),
        seed,
      },
      protocol,
    );
    if (stopped()) return { points, complete: false };
    if (methods.includes('spred')) unpruned('spred', await accuracy(sparse), spredSeconds);

    let dense: tfl.LayersModel | undefined;
    if (methods.some(needsDenseModel)) {
      dense = await copyModel(init);
      owned.push(dense);
      const denseSeconds = await trainingRun(
        {
          run: 'dense',
          model: dense,
          masks: [],
          epochs: options.epochs,
          learningRate: lr,
          decayed: trainableVariables(dense),
          seed: seed + 1,
        },
        protocol,
      );
      if (stopped()) return { points, complete: false };
      const denseAccuracy = await accuracy(dense);
      for (const m of methods) if (m !== 'spred') unpruned(m, denseAccuracy, denseSeconds);
    }

    if (options.onTrained !== undefined)
      options.onTrained(await trainedWeights(sparse, dense, options.kappa));

    const thresholds: (number | 'certified')[] = [
      ...(options.certifiedPoint === false ? [] : ['certified' as const]),
      ...(options.thresholds ??
        (await thresholdsForCompressions(sparse, options.compressions ?? []))),
    ];
    for (const [t, threshold] of thresholds.entries()) {
      const pruned =
        threshold === 'certified'
          ? await certifiedCollapse(sparse, options.train)
          : await collapse(sparse, { threshold });
      const spredMasks = await thresholdMasks(pruned, 0, { minimumPerLayer });
      const summary = await summarizeMasks(spredMasks);
      const compression = summary.compression;
      const label = `@ ${compression.toFixed(1)}×`;
      const runSeed = seed + 100 * (t + 1);
      try {
        if (methods.includes('spred')) {
          const runSeconds = await trainingRun(
            {
              run: `spred ${label}`,
              model: pruned,
              masks: spredMasks,
              epochs: options.finetuneEpochs,
              learningRate: finetuneLr,
              decayed: trainableVariables(pruned),
              seed: runSeed,
            },
            protocol,
          );
          if (stopped()) break;
          const point = await measured('spred', threshold, pruned, spredMasks, runSeconds);
          await options.onSpredModel?.(point, pruned);
        }
        const context: BaselineContext = {
          init,
          dense,
          spredMasks,
          compression,
          seed: runSeed,
          epochs: options.epochs,
          finetuneEpochs: options.finetuneEpochs,
          learningRate: lr,
          finetuneLearningRate: finetuneLr,
          train: options.train,
          batchSize,
          minimumPerLayer,
        };
        // A threshold above every weight leaves nothing to match: the baselines have no such point.
        for (const [method, baseline] of summary.kept === 0 ? [] : BASELINES) {
          if (!methods.includes(method) || stopped()) continue;
          const run = await baseline(context);
          try {
            const runSeconds = await trainingRun(
              {
                run: `${method} ${label}`,
                model: run.model,
                masks: run.masks,
                epochs: run.epochs,
                learningRate: run.learningRate,
                decayed: trainableVariables(run.model),
                seed: runSeed + 1,
              },
              protocol,
            );
            if (!stopped()) await measured(method, threshold, run.model, run.masks, runSeconds);
          } finally {
            disposeMasks(run.masks);
            run.model.dispose();
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
 * The model collapsed with exact zeros where zero is certified under its data loss, softmax
 * cross-entropy of the logits on the training data (the objective spred trained, whose penalty is
 * the L1 term; the decoupled weight decay is no part of an objective).
 */
async function certifiedCollapse(
  sparse: tfl.LayersModel,
  data: { readonly x: tf.Tensor; readonly y: tf.Tensor },
): Promise<tfl.LayersModel> {
  sparse.compile({
    optimizer: 'sgd',
    loss: (y: tf.Tensor, logits: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.NONE),
  });
  return collapse(sparse, { x: data.x, y: data.y, batchSize: 256 });
}

/** The largest kernel of spred's trained model (as U ⊙ W) and the same kernel of the dense model. */
async function trainedWeights(
  sparse: tfl.LayersModel,
  dense: tfl.LayersModel | undefined,
  kappa: number,
): Promise<TrainedWeights> {
  const plain = await collapse(sparse);
  try {
    const kernels = prunableKernels(plain);
    const sizes = kernels.map((k) => k.size);
    const largest = sizes.indexOf(Math.max(...sizes));
    // prunableKernels keeps the order of the model's layers, so index `largest` of the dense model is the same layer.
    const layer = plain.layers.find((l) =>
      l.trainableWeights.some((w) => w.read() === kernels[largest]),
    );
    const denseKernel = dense === undefined ? undefined : prunableKernels(dense)[largest];
    return {
      layer: layer?.name ?? (kernels[largest] as tf.Variable).name,
      kappa,
      spred: Float32Array.from(await (kernels[largest] as tf.Variable).data()),
      dense: denseKernel === undefined ? null : Float32Array.from(await denseKernel.data()),
    };
  } finally {
    plain.dispose();
  }
}

/** The baselines, in the order they run at each threshold. */
const BASELINES: readonly (readonly [Exclude<PruneMethod, 'spred'>, PruningBaseline])[] = [
  ['magnitude', magnitudeBaseline],
  ['random', randomBaseline],
  ['snip', snipBaseline],
  ['synflow', synflowBaseline],
  ['grasp', graspBaseline],
  ['lottery', lotteryBaseline],
];

/** Whether a method's run needs the dense model trained `epochs` (its unpruned row is that model). */
function needsDenseModel(method: PruneMethod): boolean {
  return method !== 'spred' && method !== 'lottery';
}
