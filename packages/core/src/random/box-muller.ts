import type { UniformSource } from './mulberry32.js';

/**
 * Standard normal draws by the Box–Muller transform, √(−2 ln u₁)·cos(2π u₂), from a uniform
 * source. Each draw takes two uniforms (the sine half is not kept, so that a draw depends only on
 * the two uniforms before it and callers may interleave their own uniform draws); a u₁ of exactly 0
 * is read as 10⁻³⁰⁰ so that no draw is infinite.
 *
 * @example
 * ```ts
 * const normal = boxMuller(mulberry32(7));
 * const noise = Array.from({ length: 100 }, normal); // the same 100 N(0, 1) numbers on every run
 * ```
 */
export function boxMuller(uniform: UniformSource): () => number {
  return () => {
    const u = Math.max(uniform(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
