/** mulberry32: a small, fast, seedable PRNG with a 32-bit state; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The sample order of one epoch: a Fisher–Yates shuffle of 0…n−1 seeded by (seed, epoch) alone,
 * so that a run resumed at any epoch sees the same batches as an uninterrupted one.
 */
export function epochPermutation(n: number, seed: number, epoch: number): Int32Array {
  const random = mulberry32(
    (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0,
  );
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}
