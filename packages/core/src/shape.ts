import { SpredInputError } from './errors.js';

/** Checks a tensor shape: a list of positive integers (a scalar is `[]`). */
export function checkShape(shape: readonly number[], what = 'shape'): number[] {
  if (!Array.isArray(shape))
    throw new SpredInputError(`${what} must be an array of sizes, got ${String(shape)}`);
  shape.forEach((n, i) => {
    if (!Number.isInteger(n) || n <= 0) {
      throw new SpredInputError(`${what}[${i}] must be a positive integer, got ${String(n)}`);
    }
  });
  return [...shape];
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Fan-in of a weight of this shape, as Kaiming/He define it: the input dimension of a dense kernel
 * `[in, out]`, `kh·kw·in` of a conv kernel `[kh, kw, in, out]`, the length of a coefficient vector.
 */
export function fanIn(shape: readonly number[]): number {
  if (shape.length === 0) return 1;
  if (shape.length === 1) return shape[0] as number;
  return sizeOf(shape) / (shape[shape.length - 1] as number);
}

/** Normalizes axes (negative counts from the end) and checks them against a rank. */
export function normalizeAxes(axes: number | readonly number[], rank: number): number[] {
  const list = typeof axes === 'number' ? [axes] : [...axes];
  if (list.length === 0) throw new SpredInputError('axis must name at least one axis');
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new SpredInputError(`axis ${String(a)} is out of range for a tensor of rank ${rank}`);
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length)
    throw new SpredInputError(`axis lists an axis twice: [${list.join(', ')}]`);
  return out.sort((a, b) => a - b);
}
