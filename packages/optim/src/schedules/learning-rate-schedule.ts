/**
 * A learning-rate schedule: the factor that multiplies each parameter group's base rate at the
 * start of an epoch. Stateful schedules (reduce-on-plateau) also observe the monitored metric at
 * the end of each epoch and can save and restore their state for checkpoints.
 */
export interface LearningRateSchedule {
  readonly name: string;
  /** Factor for `epoch` (0-based). */
  factor(epoch: number): number;
  /** Called with the epoch's monitored value (validation metric, else training loss). */
  observe?(value: number): void;
  /** JSON-serializable state, for checkpoints. */
  state?(): Record<string, number>;
  restore?(state: Record<string, number>): void;
}
