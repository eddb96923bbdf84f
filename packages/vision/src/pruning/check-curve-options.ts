import { SpredInputError } from '@spredjs/core';
import { PRUNE_METHODS, type PruneMethod } from './prune-methods.js';
import type { PruningCurveOptions } from './pruning-curve.js';

/** Rejects pruning-curve options that cannot run, with a message naming them. */
export function checkCurveOptions(
  options: PruningCurveOptions,
  methods: readonly PruneMethod[],
): void {
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
  const m = options.minimumPerLayer ?? 0;
  if (!(Number.isInteger(m) && m >= 0))
    throw new SpredInputError(`minimumPerLayer must be a whole number ≥ 0, got ${m}`);
  const n = options.train.x.shape[0];
  if (options.train.y.shape[0] !== n)
    throw new SpredInputError(
      `the training set has ${n} images but ${options.train.y.shape[0]} labels`,
    );
}
