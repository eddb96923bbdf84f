import { SpredInputError } from '@spredjs/core';
import type { LearningRateSchedule } from './learning-rate-schedule.js';

/** Options of {@link reduceOnPlateau}, with the defaults of PyTorch's ReduceLROnPlateau. */
export interface ReduceOnPlateauOptions {
  /** Multiply the rate by this on a plateau. Default 0.1. */
  readonly factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  readonly patience?: number;
  /** Whether the monitored value should go down (a loss) or up (an accuracy). Default 'min'. */
  readonly mode?: 'min' | 'max';
  /** Relative improvement that counts. Default 1e-4. */
  readonly threshold?: number;
  /** Epochs to wait after a reduction. Default 0. */
  readonly cooldown?: number;
  /** Never go below this factor. Default 0. */
  readonly minFactor?: number;
}

/**
 * Reduces the rate by `factor` when the monitored value has not improved for `patience` epochs.
 *
 * @example
 * ```ts
 * train({ ..., schedule: reduceOnPlateau({ patience: 5, factor: 0.5 }) });
 * ```
 */
export function reduceOnPlateau(options: ReduceOnPlateauOptions = {}): LearningRateSchedule {
  const reduceBy = options.factor ?? 0.1;
  const patience = options.patience ?? 10;
  const mode = options.mode ?? 'min';
  const threshold = options.threshold ?? 1e-4;
  const cooldown = options.cooldown ?? 0;
  const minFactor = options.minFactor ?? 0;
  if (!(reduceBy > 0 && reduceBy < 1))
    throw new SpredInputError(`factor must be in (0, 1), got ${String(reduceBy)}`);
  if (!Number.isInteger(patience) || patience < 0)
    throw new SpredInputError(`patience must be an integer ≥ 0, got ${String(patience)}`);
  let current = 1;
  let best = mode === 'min' ? Infinity : -Infinity;
  let badEpochs = 0;
  let cooldownLeft = 0;
  const improves = (value: number) =>
    mode === 'min'
      ? value < best - threshold * Math.abs(best === Infinity ? 0 : best)
      : value > best + threshold * Math.abs(best === -Infinity ? 0 : best);
  return {
    name: 'reduce-on-plateau',
    factor: () => current,
    observe(value) {
      if (improves(value)) {
        best = value;
        badEpochs = 0;
      } else {
        badEpochs++;
      }
      if (cooldownLeft > 0) {
        cooldownLeft--;
        badEpochs = 0;
      }
      if (badEpochs > patience) {
        current = Math.max(current * reduceBy, minFactor);
        cooldownLeft = cooldown;
        badEpochs = 0;
      }
    },
    state: () => ({ current, best, badEpochs, cooldownLeft }),
    restore(state) {
      current = state['current'] ?? 1;
      best = state['best'] ?? best;
      badEpochs = state['badEpochs'] ?? 0;
      cooldownLeft = state['cooldownLeft'] ?? 0;
    },
  };
}
