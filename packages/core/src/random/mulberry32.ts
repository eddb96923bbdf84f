/** A source of uniform draws in [0, 1), such as {@link mulberry32}'s. */
export type UniformSource = () => number;

/**
 * spred's one seeded uniform source: mulberry32, a small, fast PRNG with a 32-bit state, returning
 * numbers in [0, 1) on a grid of 2⁻³². The same seed gives the same sequence on every platform, so
 * every random choice spred makes outside tfjs (shuffles, splits, synthetic data) is reproducible.
 * The seed is taken modulo 2³².
 *
 * @example
 * ```ts
 * const uniform = mulberry32(42);
 * uniform(); // 0.6011037519201636, on every run
 * ```
 */
export function mulberry32(seed: number): UniformSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
