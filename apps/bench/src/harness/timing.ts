/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Times two step functions against each other on a shared, noisy machine: after warm-up, runs
 * them in alternating blocks so that both see the same load, and returns the median milliseconds
 * per step of each. Each step must finish its work before returning (read a value back).
 */
export async function timeInterleaved(
  a: () => Promise<void>,
  b: () => Promise<void>,
  options: { warmup: number; blocks: number; stepsPerBlock: number },
): Promise<{ aMs: number; bMs: number }> {
  for (let i = 0; i < options.warmup; i++) {
    await a();
    await b();
  }
  const aTimes: number[] = [];
  const bTimes: number[] = [];
  for (let block = 0; block < options.blocks; block++) {
    for (const [step, times] of [
      [a, aTimes],
      [b, bTimes],
    ] as const) {
      const start = performance.now();
      for (let s = 0; s < options.stepsPerBlock; s++) await step();
      times.push((performance.now() - start) / options.stepsPerBlock);
    }
  }
  return { aMs: median(aTimes), bMs: median(bTimes) };
}
