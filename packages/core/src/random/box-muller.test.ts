import { describe, expect, it } from 'vitest';
import { boxMuller } from './box-muller.js';
import { mulberry32 } from './mulberry32.js';

/** A uniform source that replays the given numbers. */
const scripted = (values: number[]) => {
  let k = 0;
  return () => values[k++ % values.length] as number;
};

describe('boxMuller', () => {
  it('maps (u₁, u₂) to √(−2 ln u₁)·cos(2π u₂), two uniforms per draw', () => {
    const normal = boxMuller(scripted([Math.exp(-2), 0.5, Math.exp(-0.5), 0, 0.3, 0.25]));
    expect(normal()).toBeCloseTo(-2, 14); // √4 · cos π
    expect(normal()).toBeCloseTo(1, 14); // √1 · cos 0
    expect(normal()).toBeCloseTo(0, 14); // cos(π/2)
  });

  it('reads a uniform of exactly 0 as 10⁻³⁰⁰, so that no draw is infinite', () => {
    expect(boxMuller(scripted([0, 0]))()).toBe(Math.sqrt(-2 * Math.log(1e-300)));
  });

  it('gives standard normal moments and the 68 % rule from a seeded source', () => {
    const n = 100_000;
    const z = Array.from({ length: n }, boxMuller(mulberry32(2024)));
    const mean = z.reduce((s, v) => s + v, 0) / n;
    const moment = (k: number) => z.reduce((s, v) => s + (v - mean) ** k, 0) / n;
    const variance = moment(2);
    // Standard errors at n = 10⁵: mean 0.003, variance 0.0045, skewness 0.008, kurtosis 0.015.
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.025);
    expect(Math.abs(moment(3) / variance ** 1.5)).toBeLessThan(0.05);
    expect(Math.abs(moment(4) / variance ** 2 - 3)).toBeLessThan(0.1);
    const withinOne = z.filter((v) => Math.abs(v) < 1).length / n;
    expect(Math.abs(withinOne - 0.6827)).toBeLessThan(0.01);
  });

  it('gives the same draws for the same seed', () => {
    const a = Array.from({ length: 20 }, boxMuller(mulberry32(5)));
    expect(Array.from({ length: 20 }, boxMuller(mulberry32(5)))).toEqual(a);
  });
});
