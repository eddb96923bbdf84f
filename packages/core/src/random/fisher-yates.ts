import type { UniformSource } from './mulberry32.js';

/** Anything indexable in place: a plain array or a typed array. */
export interface Permutable<T> {
  readonly length: number;
  [index: number]: T;
}

/**
 * Shuffles `items` in place by Fisher–Yates (Durstenfeld's form: from the last position down, swap
 * with a uniformly chosen position at or before it) and returns it; every order is equally likely
 * given a uniform source, and the same source gives the same order. Uses length − 1 draws.
 *
 * @example
 * ```ts
 * const order = fisherYates(Int32Array.from({ length: 10 }, (_, i) => i), mulberry32(3));
 * ```
 */
export function fisherYates<A extends Permutable<unknown>>(items: A, uniform: UniformSource): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
