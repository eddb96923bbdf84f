import { SpredInputError } from '@spredjs/core';
import type { LearningRateSchedule } from './learning-rate-schedule.js';

function positive(value: number, what: string): void {
  if (!(Number.isFinite(value) && value > 0))
    throw new SpredInputError(`${what} must be positive, got ${String(value)}`);
}

/** The base rate throughout. */
export function constantSchedule(): LearningRateSchedule {
  return { name: 'constant', factor: () => 1 };
}

/**
 * γ^⌊epoch / stepSize⌋: the rate drops by γ every `stepSize` epochs.
 *
 * @example
 * ```ts
 * stepSchedule({ stepSize: 30, gamma: 0.1 }); // ×0.1 at epochs 30, 60, …
 * ```
 */
export function stepSchedule(options: { stepSize: number; gamma?: number }): LearningRateSchedule {
  const gamma = options.gamma ?? 0.1;
  if (!Number.isInteger(options.stepSize) || options.stepSize < 1) {
    throw new SpredInputError(
      `stepSize must be a positive integer, got ${String(options.stepSize)}`,
    );
  }
  positive(gamma, 'gamma');
  return { name: 'step', factor: (epoch) => gamma ** Math.floor(epoch / options.stepSize) };
}

/** γ^epoch. */
export function exponentialSchedule(options: { gamma: number }): LearningRateSchedule {
  positive(options.gamma, 'gamma');
  return { name: 'exponential', factor: (epoch) => options.gamma ** epoch };
}

/**
 * Linear warm-up over `warmup` epochs (from 1/warmup to 1), then a cosine decay from 1 to
 * `minFactor` at epoch `epochs` (SGDR without restarts).
 *
 * @example
 * ```ts
 * cosineSchedule({ epochs: 100, warmup: 5 });
 * ```
 */
export function cosineSchedule(options: {
  epochs: number;
  warmup?: number;
  minFactor?: number;
}): LearningRateSchedule {
  const warmup = options.warmup ?? 0;
  const minFactor = options.minFactor ?? 0;
  if (!Number.isInteger(options.epochs) || options.epochs < 1) {
    throw new SpredInputError(`epochs must be a positive integer, got ${String(options.epochs)}`);
  }
  if (!Number.isInteger(warmup) || warmup < 0 || warmup >= options.epochs) {
    throw new SpredInputError(`warmup must be an integer in [0, epochs), got ${String(warmup)}`);
  }
  if (!(minFactor >= 0 && minFactor <= 1))
    throw new SpredInputError(`minFactor must be in [0, 1], got ${String(minFactor)}`);
  return {
    name: 'cosine',
    factor: (epoch) => {
      if (epoch < warmup) return (epoch + 1) / warmup;
      const progress = Math.min(1, (epoch - warmup) / (options.epochs - warmup));
      return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    },
  };
}

/**
 * 1/(1 + decay·epoch): the inverse-time decay of stochastic approximation (Keras'
 * `InverseTimeDecay`, scikit-learn SGD's 'invscaling' with power 1). Unlike a cosine it needs no
 * planned number of epochs, so it suits runs stopped by a wall-time budget.
 *
 * @example
 * ```ts
 * inverseTimeSchedule({ decay: 1 }); // ×1, ×1/2, ×1/3, … at epochs 0, 1, 2, …
 * ```
 */
export function inverseTimeSchedule(options: { decay: number }): LearningRateSchedule {
  positive(options.decay, 'decay');
  return { name: 'inverse-time', factor: (epoch) => 1 / (1 + options.decay * epoch) };
}
