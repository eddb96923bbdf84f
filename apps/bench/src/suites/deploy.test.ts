import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../harness/suite.js';
import { deployTargets } from './deploy.js';

/** A row of the suite with what the targets read; the rest as a passing export would have it. */
function row(fields: Record<string, string | number>): CaseResult {
  return {
    model: 'm',
    structure: 'elementwise',
    kappa: 1e-4,
    point: 'c10',
    compression: 10,
    flopCompression: 1,
    accuracy: 0.8,
    tfjsAccuracy: 0.8,
    tfjsMismatches: 0,
    compactRatio: 20,
    compactGzip: 100,
    tfjsGzip: 200,
    speedup1000: 1,
    ...fields,
  };
}

describe('deployTargets', () => {
  it('reads each target off the rows: 0.6·c and 300× sizes, gzip, speed per FLOP, equal predictions', () => {
    const met = deployTargets([
      row({ point: 'c10', compression: 10, compactRatio: 6 }), // exactly 0.6·c
      row({ point: 'c1000', compression: 1000, compactRatio: 300 }),
      row({
        structure: 'neurons',
        point: 't0.1',
        flopCompression: 30, // capped at 10: needs 5×
        speedup1000: 5,
        chromiumWasmSpeedup: 5,
        chromiumWebglSpeedup: 6,
      }),
    ]);
    expect(met.map((t) => t.met)).toEqual([true, true, true, true, true]);
    const missed = deployTargets([
      row({ point: 'c100', compression: 100, compactRatio: 59.9 }),
      row({ compactGzip: 201 }),
      row({ structure: 'neurons', point: 't0.2', flopCompression: 4, speedup1000: 1.9 }),
      row({ tfjsMismatches: 1 }),
    ]);
    expect(missed.map((t) => t.met)).toEqual([false, false, false, false, false]);
    expect(missed[0]?.detail).toBe('2 of 3 elementwise exports; missed: m c100');
    expect(missed[2]?.detail).toMatch(
      /^0 of 1 structured exports with fewer FLOPs; missed: m κ=0.0001 t0.2/,
    );
    // no structured row timed in the browser: that target cannot be met
    expect(missed[3]?.detail).toBe('0 of 0 timed; missed: none');
  });
});
