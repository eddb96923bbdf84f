import * as tf from '@tensorflow/tfjs-core';
import type { GroupedOptimizer } from '../optimizers/grouped-optimizer.js';
import type { LearningRateSchedule } from '../schedules/learning-rate-schedule.js';
import { checkTrainOptions } from './check-options.js';
import {
  convergenceMonitor,
  type ConvergenceOptions,
  type EpochContext,
  type EpochRecord,
  type StopMonitor,
  type StopVerdict,
} from './monitors.js';
import { resumeFrom, saveLoopCheckpoint, type LoopState } from './resume.js';
import { epochPermutation } from './seeded-permutation.js';

export type { ConvergenceOptions, EpochRecord } from './monitors.js';

/** Early stopping on a validation metric. */
export interface ValidationOptions {
  /** Computes the metric on held-out data with the current variables (called once per epoch). */
  readonly metric: () => number;
  /** 'max' for accuracy-like metrics, 'min' for losses. Default 'min'. */
  readonly mode?: 'min' | 'max';
  /** Stop after this many epochs without improvement. Default: never stop early. */
  readonly patience?: number;
  /** Improvement smaller than this does not count. Default 0. */
  readonly minDelta?: number;
  /** Put the best epoch's variables back at the end. Default true. */
  readonly restoreBest?: boolean;
}

export type TrainStopReason = 'epochs' | 'early-stopping' | 'converged' | 'aborted' | 'non-finite';

export interface TrainResult {
  readonly stopReason: TrainStopReason;
  /** One line for people: why it stopped, where. */
  readonly message: string;
  /** Epochs completed (including those before a resume). */
  readonly epochs: number;
  readonly history: readonly EpochRecord[];
  readonly bestEpoch?: number;
  readonly bestValidation?: number;
  /** Epoch the run resumed after, when it started from a checkpoint. */
  readonly resumedFrom?: number;
}

/** Where the loop is, as the per-step hooks see it (all counts 1-based, as in messages). */
export interface StepContext {
  readonly epoch: number;
  /** The batch within the epoch. */
  readonly batch: number;
  /** Batches per epoch. */
  readonly batches: number;
  /** Steps since the start of training, this one included: the same in a resumed run. */
  readonly step: number;
}

/** What {@link TrainOptions.afterStep} sees: where the loop is and the step's loss (before the update). */
export interface StepEnd extends StepContext {
  readonly loss: number;
}

/** The parameter set the loop trains: the optimizer (its variables) and the objective over them. */
export interface ParameterSet {
  readonly optimizer: GroupedOptimizer;
  /** Default: keep the current loss. */
  readonly loss?: (batch: readonly tf.Tensor[]) => tf.Scalar;
}

/** Options of {@link train}. */
export interface TrainOptions {
  readonly optimizer: GroupedOptimizer;
  /** The objective of one batch: data fit plus every spred `penalty()`. */
  readonly loss: (batch: readonly tf.Tensor[]) => tf.Scalar;
  /** Tensors whose first axis indexes samples; batches are row subsets of each. Default: none. */
  readonly data?: readonly tf.Tensor[];
  /** Samples per mini-batch; default the full batch. */
  readonly batchSize?: number;
  readonly epochs: number;
  /** Seed of the batch order (each epoch's order depends on seed and epoch only). Default 0. */
  readonly seed?: number;
  readonly schedule?: LearningRateSchedule;
  readonly validation?: ValidationOptions;
  readonly convergence?: ConvergenceOptions;
  /** Further stop rules, observed after the built-in ones at the end of every epoch. */
  readonly monitors?: readonly StopMonitor[];
  /**
   * Maps each batch before the step (e.g. augmentation); `loss` gets what it returns. The loop
   * disposes the returned tensors (except those of `data`) after the step.
   */
  readonly transformBatch?: (
    batch: readonly tf.Tensor[],
    context: StepContext,
  ) => readonly tf.Tensor[] | Promise<readonly tf.Tensor[]>;
  /** Called after every step whose loss was finite (e.g. to re-apply pruning masks). */
  readonly afterStep?: (step: StepEnd) => void | Promise<void>;
  /**
   * Called between epochs (after `onEpoch`, unless the run stops there); a parameter set it returns
   * is trained from the next epoch on (e.g. a new working set of genes). The caller owns both
   * optimizers. Cannot be combined with `checkpoint`.
   */
  readonly swapParameters?: (
    context: EpochContext,
  ) => ParameterSet | undefined | Promise<ParameterSet | undefined>;
  readonly onEpoch?: (record: EpochRecord) => void;
  /** Stops at the next batch; the variables keep the best state so far. */
  readonly signal?: AbortSignal;
  /** Saves variables, optimizer and loop state every `every` epochs (default 1); `resume` continues from it. */
  readonly checkpoint?: {
    readonly dir: string;
    readonly every?: number;
    readonly resume?: boolean;
  };
  /** Keep a copy of the variables before each step, to restore if the loss turns NaN/Inf. Default true. */
  readonly keepLastFinite?: boolean;
}

/**
 * The one training loop every spred solver and domain package uses: full-batch or seeded
 * mini-batches, a learning-rate schedule, early stopping on a validation metric with the best
 * weights restored, stop monitors (relative loss change; spred's two-threshold sparsity
 * agreement; any {@link StopMonitor}), hooks around each step (a batch transform before it, an
 * after-step hook such as re-applying pruning masks), swapping the parameter set between epochs
 * (working sets), progress callbacks, cancellation, and checkpoints from which a run resumes with
 * the same result as an uninterrupted one. A NaN/Inf loss stops it with a message naming the step
 * and leaves the last state whose loss was finite.
 *
 * @example
 * ```ts
 * const opt = new GroupedOptimizer({ kind: 'adam', learningRate: 1e-3 }, [{ variables: coef.variables }]);
 * const result = await train({
 *   optimizer: opt, data: [X, y], batchSize: 128, epochs: 100,
 *   loss: ([xb, yb]) => tf.add(tf.losses.meanSquaredError(yb, tf.matMul(xb, coef.value())), coef.penalty()),
 *   convergence: { sparsity: { parameters: [coef] }, relativeLossChange: 1e-6 },
 * });
 * console.log(result.message);
 * ```
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { data = [], epochs } = options;
  const seed = options.seed ?? 0;
  checkTrainOptions(options);
  let optimizer = options.optimizer;
  let loss = options.loss;
  let variables = optimizer.variables;
  const n = data[0]?.shape[0] ?? 0;
  const batchSize = options.batchSize ?? n;
  const batchesPerEpoch = data.length === 0 ? 1 : Math.ceil(n / Math.max(batchSize, 1));
  const validation = options.validation;
  const mode = validation?.mode ?? 'min';
  const better = (a: number, b: number) =>
    mode === 'max' ? a > b + (validation?.minDelta ?? 0) : a < b - (validation?.minDelta ?? 0);
  const convergence =
    options.convergence === undefined ? undefined : convergenceMonitor(options.convergence);
  const monitors = options.monitors ?? [];
  const parts = () => ({ optimizer, schedule: options.schedule, convergence, monitors });

  let state: LoopState = {
    epoch: 0,
    history: [],
    bestValidation: undefined,
    bestEpoch: undefined,
    bestWeights: undefined,
    badEpochs: 0,
  };
  // The variables the best weights were copied from (they change when the parameter set does).
  let bestVariables = variables;
  let resumedFrom: number | undefined;
  const started = performance.now();
  const aborted = () => options.signal?.aborted === true;
  let lastFinite: tf.Tensor[] | undefined;
  let swappedBefore: number | undefined;

  if (options.checkpoint?.resume === true) {
    const resumed = await resumeFrom(options.checkpoint.dir, parts());
    if (resumed !== undefined) ({ state, resumedFrom } = resumed);
  }

  const finish = (stopReason: TrainStopReason, message: string): TrainResult => {
    tf.dispose(lastFinite ?? []);
    if (state.bestWeights !== undefined && (validation?.restoreBest ?? true)) {
      state.bestWeights.forEach((t, i) => bestVariables[i]!.assign(t));
    }
    tf.dispose(state.bestWeights ?? []);
    const { bestEpoch, bestValidation, history } = state;
    return {
      stopReason,
      message,
      epochs: history.length,
      history,
      ...(bestEpoch === undefined ? {} : { bestEpoch, bestValidation: bestValidation as number }),
      ...(resumedFrom === undefined ? {} : { resumedFrom }),
    };
  };

  for (let epoch = state.epoch; epoch < epochs; epoch++) {
    if (aborted()) return finish('aborted', `aborted before epoch ${epoch + 1}`);
    optimizer.setLearningRateScale(options.schedule?.factor(epoch) ?? 1);
    const order = data.length > 0 && batchSize < n ? epochPermutation(n, seed, epoch) : undefined;
    let lossSum = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      if (aborted())
        return finish('aborted', `aborted in epoch ${epoch + 1}, before batch ${b + 1}`);
      const context: StepContext = {
        epoch: epoch + 1,
        batch: b + 1,
        batches: batchesPerEpoch,
        step: epoch * batchesPerEpoch + b + 1,
      };
      const batch =
        order === undefined
          ? data
          : tf.tidy(() => {
              const rows = tf.tensor1d(
                order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)),
                'int32',
              );
              return data.map((t) => tf.gather(t, rows));
            });
      let input = batch;
      if (options.transformBatch !== undefined) {
        try {
          const transformed = options.transformBatch(batch, context);
          input = transformed instanceof Promise ? await transformed : transformed;
        } catch (e) {
          if (order !== undefined) tf.dispose(batch as tf.Tensor[]);
          throw e;
        }
        if (order !== undefined) tf.dispose(batch.filter((t) => !input.includes(t)));
      }
      // The state before this step; once its loss proves finite it becomes the last finite state.
      const snapshot =
        options.keepLastFinite === false ? undefined : variables.map((v) => tf.clone(v));
      const step = await optimizer.stepAsync(() => loss(input));
      tf.dispose(input.filter((t) => !data.includes(t)));
      if (!step.finite) {
        tf.dispose(snapshot ?? []);
        lastFinite?.forEach((t, i) => variables[i]!.assign(t));
        const where = `epoch ${epoch + 1}, batch ${b + 1} (step ${context.step})`;
        const kept =
          lastFinite !== undefined
            ? 'the variables hold the last state with a finite loss'
            : snapshot === undefined
              ? 'the variables hold the state that produced it'
              : swappedBefore !== undefined
                ? `the parameter set swapped in before epoch ${swappedBefore} already gives it`
                : 'the starting state already gives it';
        return finish('non-finite', `loss is ${step.loss} at ${where}; ${kept}`);
      }
      tf.dispose(lastFinite ?? []);
      lastFinite = snapshot;
      lossSum += step.loss;
      if (options.afterStep !== undefined) {
        const done = options.afterStep({ ...context, loss: step.loss });
        if (done instanceof Promise) await done;
      }
    }
    const metric = validation?.metric();
    const agreement = convergence?.measure();
    const record: EpochRecord = {
      epoch: epoch + 1,
      loss: lossSum / batchesPerEpoch,
      learningRate: optimizer.learningRate(0),
      ...(metric === undefined ? {} : { validation: metric }),
      ...(agreement === undefined ? {} : { sparsity: agreement.map((a) => a.sparsityLow) }),
      seconds: (performance.now() - started) / 1000,
    };
    state.history.push(record);
    state.epoch = epoch + 1;
    const epochContext: EpochContext = {
      epoch: epoch + 1,
      record,
      history: state.history,
      optimizer,
    };

    let stop: StopVerdict | undefined;
    if (metric !== undefined && validation !== undefined) {
      if (state.bestValidation === undefined || better(metric, state.bestValidation)) {
        state.bestValidation = metric;
        state.bestEpoch = epoch + 1;
        state.badEpochs = 0;
        if (validation.restoreBest ?? true) {
          tf.dispose(state.bestWeights ?? []);
          state.bestWeights = variables.map((v) => tf.clone(v));
          bestVariables = variables;
        }
      } else if (++state.badEpochs > (validation.patience ?? Infinity)) {
        stop = {
          reason: 'early-stopping',
          message: `validation did not improve for ${state.badEpochs} epochs; best ${state.bestValidation} at epoch ${state.bestEpoch}`,
        };
      }
    }
    options.schedule?.observe?.(metric ?? record.loss);
    for (const monitor of convergence === undefined ? monitors : [convergence, ...monitors]) {
      if (stop !== undefined) break;
      stop = monitor.observe(epochContext);
    }
    const every = options.checkpoint?.every ?? 1;
    if (
      options.checkpoint !== undefined &&
      ((epoch + 1) % every === 0 || stop !== undefined || epoch + 1 === epochs)
    ) {
      await saveLoopCheckpoint(options.checkpoint.dir, state, parts());
    }
    options.onEpoch?.(record);
    if (stop !== undefined) return finish(stop.reason, stop.message);
    if (options.swapParameters !== undefined && epoch + 1 < epochs) {
      const pending = options.swapParameters(epochContext);
      const next = pending instanceof Promise ? await pending : pending;
      if (next !== undefined) {
        optimizer = next.optimizer;
        loss = next.loss ?? loss;
        variables = optimizer.variables;
        // The last finite state belongs to the old variables; the new set has none yet.
        tf.dispose(lastFinite ?? []);
        lastFinite = undefined;
        swappedBefore = epoch + 2;
      }
    }
  }
  return finish('epochs', `finished ${epochs} epochs`);
}
