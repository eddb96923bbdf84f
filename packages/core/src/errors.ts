/**
 * Raised for input spred cannot use: wrong shapes, non-finite values, non-positive κ, unknown
 * axes. The message says what was expected and what came, e.g.
 * `kappa must be positive and finite, got -1 at index 3`.
 *
 * @example
 * ```ts
 * try { hadamard([3], { kappa: -1 }); }
 * catch (e) { if (e instanceof SpredInputError) console.error(e.message); }
 * ```
 */
export class SpredInputError extends Error {
  override readonly name = 'SpredInputError';
}
