import { describe, expect, it } from 'vitest';
import {
  constantSchedule,
  cosineSchedule,
  exponentialSchedule,
  inverseTimeSchedule,
  stepSchedule,
} from './fixed-schedules.js';
import { reduceOnPlateau } from './reduce-on-plateau.js';

describe('learning-rate schedules', () => {
  it('constant, step and exponential give the textbook factors', () => {
    expect(constantSchedule().factor(99)).toBe(1);
    const step = stepSchedule({ stepSize: 10, gamma: 0.5 });
    expect([0, 9, 10, 25].map((e) => step.factor(e))).toEqual([1, 1, 0.5, 0.25]);
    expect(exponentialSchedule({ gamma: 0.9 }).factor(2)).toBeCloseTo(0.81, 12);
    expect([0, 1, 3].map(inverseTimeSchedule({ decay: 1 }).factor)).toEqual([1, 0.5, 0.25]);
    expect(inverseTimeSchedule({ decay: 0.5 }).factor(2)).toBe(0.5);
    expect(() => inverseTimeSchedule({ decay: 0 })).toThrow(/decay must be positive, got 0/);
  });

  it('cosine warms up linearly, then decays from 1 to minFactor', () => {
    const s = cosineSchedule({ epochs: 12, warmup: 2, minFactor: 0.1 });
    expect(s.factor(0)).toBe(0.5);
    expect(s.factor(1)).toBe(1);
    expect(s.factor(2)).toBe(1);
    expect(s.factor(7)).toBeCloseTo(0.55, 12);
    expect(s.factor(12)).toBeCloseTo(0.1, 12);
  });

  it('reduce-on-plateau cuts the rate after `patience` epochs without improvement, and restores its state', () => {
    const s = reduceOnPlateau({ patience: 2, factor: 0.5 });
    for (const loss of [1, 0.9, 0.95, 0.95]) s.observe?.(loss);
    expect(s.factor(0)).toBe(1);
    s.observe?.(0.95);
    expect(s.factor(0)).toBe(0.5);
    const copy = reduceOnPlateau({ patience: 2, factor: 0.5 });
    copy.restore?.(s.state?.() ?? {});
    expect(copy.factor(0)).toBe(0.5);
    const accuracy = reduceOnPlateau({ patience: 0, factor: 0.1, mode: 'max' });
    accuracy.observe?.(0.5);
    accuracy.observe?.(0.6);
    expect(accuracy.factor(0)).toBe(1);
    accuracy.observe?.(0.55);
    expect(accuracy.factor(0)).toBeCloseTo(0.1, 12);
  });

  it('rejects bad parameters', () => {
    expect(() => stepSchedule({ stepSize: 0 })).toThrow(/stepSize must be a positive integer/);
    expect(() => cosineSchedule({ epochs: 5, warmup: 5 })).toThrow(
      /warmup must be an integer in \[0, epochs\)/,
    );
    expect(() => reduceOnPlateau({ factor: 2 })).toThrow(/factor must be in \(0, 1\)/);
  });
});
