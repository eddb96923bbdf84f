import { describe, expect, it } from 'vitest';
import type { EpochContext } from '@spredjs/optim';
import { geneSetStable } from './gene-set-monitor.js';

// The monitor reads only the epoch number of the loop's context.
const at = (epoch: number) => ({ epoch }) as unknown as EpochContext;

/** Feeds the monitor one kept-gene count per epoch; returns the epoch it stopped at and its checks. */
function run(kept: readonly number[], violatorsPerCheck: Int32Array[], patience = 3) {
  let now = 0;
  const checks: number[] = [];
  const reentries: number[][] = [];
  const monitor = geneSetStable({
    inputs: 10,
    patience,
    kept: () => kept[now - 1] as number,
    violators: () => {
      checks.push(now);
      return violatorsPerCheck.shift() ?? new Int32Array(0);
    },
  });
  for (now = 1; now <= kept.length; now++) {
    const verdict = monitor.observe(at(now));
    const entering = monitor.takeReentry();
    if (entering !== undefined) reentries.push([now, ...entering]);
    if (verdict !== undefined) return { stopped: now, message: verdict.message, checks, reentries };
  }
  return { stopped: undefined, message: undefined, checks, reentries };
}

describe("spred's gene-set stop rule", () => {
  it('stops once the set has held for `patience` epochs and the optimality check finds no violator', () => {
    // Counts 7, 5, 5, 5, 5: unchanged on epochs 3, 4, 5 → the third unchanged epoch is 5.
    const result = run([7, 5, 5, 5, 5, 5], []);
    expect(result.stopped).toBe(5);
    expect(result.checks).toEqual([5]);
    expect(result.message).toBe(
      "gene set unchanged for 3 epochs at epoch 5; no left-out gene violates the group lasso's optimality condition",
    );
  });

  it('a set of every gene is no selection: it never counts as unchanged', () => {
    expect(run([10, 10, 10, 10, 10, 10, 10], []).stopped).toBeUndefined();
    expect(run([10, 10, 10, 10, 4, 4, 4, 4], []).stopped).toBe(8);
  });

  it('hands violators to the working set once and waits `patience` epochs again', () => {
    const result = run([5, 5, 5, 5, 5, 5, 5, 5, 5], [Int32Array.of(2, 8)]);
    expect(result.checks).toEqual([4, 7]); // held on 2, 3, 4; after the re-entry on 5, 6, 7
    expect(result.reentries).toEqual([[4, 2, 8]]);
    expect(result.stopped).toBe(7);
  });

  it('a change of the set resets the count', () => {
    expect(run([5, 5, 5, 6, 6, 6, 6], []).stopped).toBe(7);
  });
});
