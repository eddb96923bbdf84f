import { thresholdAgreement, type Reparametrization, type ThresholdAgreement } from '@spredjs/core';
import type { GroupedOptimizer } from '../optimizers/grouped-optimizer.js';

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

/** What the loop's end-of-epoch hooks (stop monitors, parameter swaps) see. */
export interface EpochContext {
  /** The epoch just finished, 1-based. */
  readonly epoch: number;
  /** Its record (also the last entry of `history`). */
  readonly record: EpochRecord;
  readonly history: readonly EpochRecord[];
  /** The parameter set trained in this epoch. */
  readonly optimizer: GroupedOptimizer;
}

/** A monitor's reason to stop: the stop reason it reports and one line for people. */
export interface StopVerdict {
  readonly reason: 'converged' | 'early-stopping';
  readonly message: string;
}

/**
 * A stop rule of {@link train}: observed once at the end of every epoch (in the order given, while
 * no earlier rule has stopped the run), it returns a verdict to stop or `undefined` to go on.
 * Monitors that count epochs save their count in checkpoints through `state`/`restore`.
 *
 * @example
 * ```ts
 * // Stop once the training loss is below 1e-3.
 * const small: StopMonitor = {
 *   observe: ({ record }) =>
 *     record.loss < 1e-3 ? { reason: 'converged', message: `loss below 1e-3 at epoch ${record.epoch}` } : undefined,
 * };
 * ```
 */
export interface StopMonitor {
  observe(context: EpochContext): StopVerdict | undefined;
  /** JSON-serializable state, for checkpoints. */
  state?(): unknown;
  restore?(state: unknown): void;
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

/** The built-in monitor behind {@link ConvergenceOptions}; `measure` feeds the epoch record. */
export interface ConvergenceMonitor extends StopMonitor {
  /** The two-threshold agreement of every monitored parameter now (undefined without `sparsity`). */
  measure(): readonly ThresholdAgreement[] | undefined;
  state(): number;
  restore(state: unknown): void;
}

/**
 * The convergence monitor: stops ('converged') once the relative change of the epoch loss is at
 * most `relativeLossChange` and spred's two thresholds agree on every parameter, both for
 * `patience` consecutive epochs. A monitor with neither criterion never stops.
 *
 * @example
 * ```ts
 * await train({ optimizer, loss, epochs: 1000, monitors: [convergenceMonitor({ relativeLossChange: 1e-6, patience: 5 })] });
 * ```
 */
export function convergenceMonitor(options: ConvergenceOptions): ConvergenceMonitor {
  const sparsity = options.sparsity;
  let agreement: readonly ThresholdAgreement[] | undefined;
  let fresh = false;
  let settled = 0;
  const measure = () =>
    sparsity?.parameters.map((p) =>
      thresholdAgreement(p, {
        ...(sparsity.low === undefined ? {} : { low: sparsity.low }),
        ...(sparsity.high === undefined ? {} : { high: sparsity.high }),
        ...(sparsity.tolerance === undefined ? {} : { tolerance: sparsity.tolerance }),
      }),
    );
  return {
    measure() {
      agreement = measure();
      fresh = true;
      return agreement;
    },
    observe({ epoch, record, history }) {
      if (options.relativeLossChange === undefined && sparsity === undefined) return undefined;
      // The loop measures before building the record; a monitor used on its own measures here.
      if (!fresh) agreement = measure();
      fresh = false;
      const previousLoss = history[history.length - 2]?.loss;
      const lossSettled =
        options.relativeLossChange === undefined ||
        (previousLoss !== undefined &&
          Math.abs(previousLoss - record.loss) <=
            options.relativeLossChange * Math.abs(record.loss));
      const sparsitySettled = agreement === undefined || agreement.every((a) => a.agreed);
      settled = lossSettled && sparsitySettled ? settled + 1 : 0;
      return settled >= (options.patience ?? 1)
        ? { reason: 'converged', message: `converged at epoch ${epoch}` }
        : undefined;
    },
    state: () => settled,
    restore(state) {
      settled = typeof state === 'number' ? state : 0;
    },
  };
}

/**
 * Stops ('converged') once `read()` — e.g. the selected gene set, as a string — has returned the
 * same value for `patience` consecutive epochs (compared with `===`).
 *
 * @example
 * ```ts
 * const genes = unchangedFor(50, () => network.keptGenes().join(), 'gene set');
 * await train({ optimizer, loss, epochs: 300, monitors: [genes] });
 * ```
 */
export function unchangedFor(
  patience: number,
  read: () => string | number,
  what = 'monitored value',
): StopMonitor {
  let last: string | number | undefined;
  let unchanged = 0;
  return {
    observe({ epoch }) {
      const value = read();
      unchanged = last !== undefined && value === last ? unchanged + 1 : 0;
      last = value;
      return unchanged >= patience
        ? {
            reason: 'converged',
            message: `${what} unchanged for ${unchanged} epochs at epoch ${epoch}`,
          }
        : undefined;
    },
    state: () => ({ last, unchanged }),
    restore(state) {
      const s = state as { last?: string | number; unchanged?: number } | undefined;
      last = s?.last;
      unchanged = s?.unchanged ?? 0;
    },
  };
}
