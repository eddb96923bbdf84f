/**
 * The seed to hand tfjs's random ops and initializers for a spred seed. tfjs draws from
 * `seed ? seed : Math.random()`, so seed 0 (spred's default) would give a different stream on every
 * run; every integer is shifted by ½ so that each seed, 0 included, gives one fixed stream.
 *
 * @example
 * ```ts
 * tf.randomNormal([3, 4], 0, 1, 'float32', tfSeed(0)); // the same numbers on every run
 * ```
 */
export function tfSeed(seed: number): number {
  return seed + 0.5;
}
