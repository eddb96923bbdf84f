import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError, thresholdAgreement, type Reparametrization } from '@spred/core';
import type { GroupedOptimizer } from '../optimizers/grouped-optimizer.js';
import type { LearningRateSchedule } from '../schedules/learning-rate-schedule.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { epochPermutation } from './seeded-permutation.js';

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

/** Convergence monitors; training stops once every configured one holds for `patience` epochs. */
export interface ConvergenceOptions {
  /** |L_e − L_{e−1}| ≤ this · |L_e|, with L the epoch's mean training loss. */
  readonly relativeLossChange?: number;
  /** spred's signal: the shares of zeros at two thresholds agree for every parameter. */
  readonly sparsity?: {
    readonly parameters: readonly Reparametrization[];
    readonly low?: number;
    readonly high?: number;
    readonly tolerance?: number;
  };
  /** Consecutive epochs the monitors must hold. Default 1. */
  readonly patience?: number;
}

/** One epoch of history. */
export interface EpochRecord {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean training loss over the epoch's batches (before each update). */
  readonly loss: number;
  readonly learningRate: number;
  readonly validation?: number;
  /** Share of zeros (at the low threshold) of each monitored spred parameter. */
  readonly sparsity?: readonly number[];
  /** Seconds since this call started (a resumed run counts from its own start). */
  readonly seconds: number;
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
 * weights restored, convergence monitors (relative loss change; spred's two-threshold sparsity
 * agreement), progress callbacks, cancellation, and checkpoints from which a run resumes with
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
  const { optimizer, data = [], epochs } = options;
  const seed = options.seed ?? 0;
  checkOptions(options);
  const variables = optimizer.variables;
  const n = data[0]?.shape[0] ?? 0;
  const batchSize = options.batchSize ?? n;
  const batchesPerEpoch = data.length === 0 ? 1 : Math.ceil(n / Math.max(batchSize, 1));
  const validation = options.validation;
  const mode = validation?.mode ?? 'min';
  const better = (a: number, b: number) =>
    mode === 'max' ? a > b + (validation?.minDelta ?? 0) : a < b - (validation?.minDelta ?? 0);

  let history: EpochRecord[] = [];
  let bestValidation: number | undefined;
  let bestEpoch: number | undefined;
  let bestWeights: tf.Tensor[] | undefined;
  let badEpochs = 0;
  let convergedEpochs = 0;
  let startEpoch = 0;
  let resumedFrom: number | undefined;
  const started = performance.now();
  const aborted = () => options.signal?.aborted === true;
  let lastFinite: tf.Tensor[] | undefined;

  if (options.checkpoint?.resume === true) {
    const saved = loadCheckpoint(options.checkpoint.dir);
    if (saved !== undefined) {
      const restored = saved.groups;
      const vars = restored['variables'] ?? [];
      if (
        vars.length !== variables.length ||
        vars.some((t, i) => t.shape.join() !== variables[i]!.shape.join())
      ) {
        tf.dispose(Object.values(restored).flat());
        throw new SpredInputError(
          `${options.checkpoint.dir}: the checkpoint's variables do not match this model's`,
        );
      }
      vars.forEach((t, i) => variables[i]!.assign(t));
      const groupsState = (saved.meta['optimizerGroups'] as number[]).map((count, g, counts) => {
        const begin = counts.slice(0, g).reduce((a, b) => a + b, 0);
        const names = (saved.meta['optimizerNames'] as string[]).slice(begin, begin + count);
        return (restored['optimizer'] ?? [])
          .slice(begin, begin + count)
          .map((tensor, k) => ({ name: names[k] as string, tensor }));
      });
      await optimizer.setState({
        learningRateScale: saved.meta['learningRateScale'] as number,
        groups: groupsState,
      });
      options.schedule?.restore?.(saved.meta['schedule'] as Record<string, number>);
      history = saved.meta['history'] as EpochRecord[];
      bestValidation = saved.meta['bestValidation'] as number | undefined;
      bestEpoch = saved.meta['bestEpoch'] as number | undefined;
      badEpochs = saved.meta['badEpochs'] as number;
      convergedEpochs = saved.meta['convergedEpochs'] as number;
      const best = restored['best'];
      bestWeights = best !== undefined && best.length > 0 ? best : undefined;
      tf.dispose([...vars, ...(restored['optimizer'] ?? [])]);
      startEpoch = saved.meta.epoch;
      resumedFrom = startEpoch;
    }
  }

  const finish = (stopReason: TrainStopReason, message: string): TrainResult => {
    tf.dispose(lastFinite ?? []);
    if (bestWeights !== undefined && (validation?.restoreBest ?? true)) {
      bestWeights.forEach((t, i) => variables[i]!.assign(t));
    }
    tf.dispose(bestWeights ?? []);
    return {
      stopReason,
      message,
      epochs: history.length,
      history,
      ...(bestEpoch === undefined ? {} : { bestEpoch, bestValidation: bestValidation as number }),
      ...(resumedFrom === undefined ? {} : { resumedFrom }),
    };
  };

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    if (aborted()) return finish('aborted', `aborted before epoch ${epoch + 1}`);
    optimizer.setLearningRateScale(options.schedule?.factor(epoch) ?? 1);
    const order = data.length > 0 && batchSize < n ? epochPermutation(n, seed, epoch) : undefined;
    let lossSum = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      if (aborted())
        return finish('aborted', `aborted in epoch ${epoch + 1}, before batch ${b + 1}`);
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
      // The state before this step; once its loss proves finite it becomes the last finite state.
      const snapshot =
        options.keepLastFinite === false ? undefined : variables.map((v) => tf.clone(v));
      const step = optimizer.step(() => options.loss(batch));
      if (order !== undefined) tf.dispose(batch as tf.Tensor[]);
      if (!step.finite) {
        tf.dispose(snapshot ?? []);
        lastFinite?.forEach((t, i) => variables[i]!.assign(t));
        const where = `epoch ${epoch + 1}, batch ${b + 1} (step ${epoch * batchesPerEpoch + b + 1})`;
        const kept =
          lastFinite !== undefined
            ? 'the variables hold the last state with a finite loss'
            : snapshot === undefined
              ? 'the variables hold the state that produced it'
              : 'the starting state already gives it';
        return finish('non-finite', `loss is ${step.loss} at ${where}; ${kept}`);
      }
      tf.dispose(lastFinite ?? []);
      lastFinite = snapshot;
      lossSum += step.loss;
    }
    const loss = lossSum / batchesPerEpoch;
    const previousLoss = history[history.length - 1]?.loss;
    const metric = validation?.metric();
    const sparsityOptions = options.convergence?.sparsity;
    const agreement = sparsityOptions?.parameters.map((p) =>
      thresholdAgreement(p, {
        ...(sparsityOptions.low === undefined ? {} : { low: sparsityOptions.low }),
        ...(sparsityOptions.high === undefined ? {} : { high: sparsityOptions.high }),
        ...(sparsityOptions.tolerance === undefined
          ? {}
          : { tolerance: sparsityOptions.tolerance }),
      }),
    );
    const record: EpochRecord = {
      epoch: epoch + 1,
      loss,
      learningRate: optimizer.learningRate(0),
      ...(metric === undefined ? {} : { validation: metric }),
      ...(agreement === undefined ? {} : { sparsity: agreement.map((a) => a.sparsityLow) }),
      seconds: (performance.now() - started) / 1000,
    };
    history.push(record);

    let stop: [TrainStopReason, string] | undefined;
    if (metric !== undefined && validation !== undefined) {
      if (bestValidation === undefined || better(metric, bestValidation)) {
        bestValidation = metric;
        bestEpoch = epoch + 1;
        badEpochs = 0;
        if (validation.restoreBest ?? true) {
          tf.dispose(bestWeights ?? []);
          bestWeights = variables.map((v) => tf.clone(v));
        }
      } else if (++badEpochs > (validation.patience ?? Infinity)) {
        stop = [
          'early-stopping',
          `validation did not improve for ${badEpochs} epochs; best ${bestValidation} at epoch ${bestEpoch}`,
        ];
      }
    }
    options.schedule?.observe?.(metric ?? loss);
    const convergence = options.convergence;
    if (
      stop === undefined &&
      convergence !== undefined &&
      (convergence.relativeLossChange !== undefined || agreement !== undefined)
    ) {
      const lossSettled =
        convergence.relativeLossChange === undefined ||
        (previousLoss !== undefined &&
          Math.abs(previousLoss - loss) <= convergence.relativeLossChange * Math.abs(loss));
      const sparsitySettled = agreement === undefined || agreement.every((a) => a.agreed);
      convergedEpochs = lossSettled && sparsitySettled ? convergedEpochs + 1 : 0;
      if (convergedEpochs >= (convergence.patience ?? 1))
        stop = ['converged', `converged at epoch ${epoch + 1}`];
    }
    const every = options.checkpoint?.every ?? 1;
    if (
      options.checkpoint !== undefined &&
      ((epoch + 1) % every === 0 || stop !== undefined || epoch + 1 === epochs)
    ) {
      const state = await optimizer.getState();
      saveCheckpoint(
        options.checkpoint.dir,
        {
          version: 1,
          epoch: epoch + 1,
          history,
          ...(bestValidation === undefined ? {} : { bestValidation, bestEpoch }),
          badEpochs,
          convergedEpochs,
          learningRateScale: state.learningRateScale,
          optimizerGroups: state.groups.map((g) => g.length),
          optimizerNames: state.groups.flatMap((g) => g.map((w) => w.name)),
          schedule: options.schedule?.state?.() ?? {},
        },
        {
          variables,
          optimizer: state.groups.flatMap((g) => g.map((w) => w.tensor)),
          best: bestWeights ?? [],
        },
      );
      tf.dispose(state.groups.flatMap((g) => g.map((w) => w.tensor)));
    }
    options.onEpoch?.(record);
    if (stop !== undefined) return finish(...stop);
  }
  return finish('epochs', `finished ${epochs} epochs`);
}

function checkOptions(options: TrainOptions): void {
  if (!Number.isInteger(options.epochs) || options.epochs < 0) {
    throw new SpredInputError(
      `epochs must be a non-negative integer, got ${String(options.epochs)}`,
    );
  }
  const data = options.data ?? [];
  const n = data[0]?.shape[0];
  data.forEach((t, i) => {
    if (t.rank === 0 || t.shape[0] !== n) {
      throw new SpredInputError(
        `data[${i}] has ${t.shape[0] ?? 'no'} rows but data[0] has ${n}: every data tensor needs one row per sample`,
      );
    }
  });
  if (
    options.batchSize !== undefined &&
    (!Number.isInteger(options.batchSize) || options.batchSize < 1)
  ) {
    throw new SpredInputError(
      `batchSize must be a positive integer, got ${String(options.batchSize)}`,
    );
  }
  if (options.batchSize !== undefined && data.length === 0)
    throw new SpredInputError('batchSize needs data to split into batches');
  const every = options.checkpoint?.every ?? 1;
  if (!Number.isInteger(every) || every < 1)
    throw new SpredInputError(`checkpoint.every must be a positive integer, got ${String(every)}`);
}
