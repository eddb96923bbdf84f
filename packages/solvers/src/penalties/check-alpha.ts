import { SpredInputError } from '@spredjs/core/errors';

/**
 * The one check of a penalty level, with one wording everywhere (penalties, estimators, paths,
 * the CLI's flags): α must be a positive, finite number. `name` is what the message calls it
 * (`alpha`, `--alpha-ratio`, `alphas[3]`).
 *
 * @example
 * ```ts
 * checkAlpha(0.1); // ok
 * checkAlpha(-1); // throws SpredInputError: alpha must be positive and finite, got -1
 * ```
 */
export function checkAlpha(alpha: number, name = 'alpha'): void {
  if (!(Number.isFinite(alpha) && alpha > 0))
    throw new SpredInputError(`${name} must be positive and finite, got ${String(alpha)}`);
}
