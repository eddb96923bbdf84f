import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './minimize-lbfgs.js';
import { cubicInterpolate } from './line-search.js';

/** A seeded SPD matrix Q diag(λ) Qᵀ with eigenvalues spread over [1, κ]. */
function spdQuadratic(d: number, condition: number, seed: number) {
  let state = seed;
  const rand = () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296 - 0.5;
  };
  // Random orthogonal Q by Gram–Schmidt.
  const q: number[][] = [];
  for (let j = 0; j < d; j++) {
    let v = Array.from({ length: d }, rand);
    for (const u of q) {
      const p = v.reduce((s, vi, i) => s + vi * (u[i] as number), 0);
      v = v.map((vi, i) => vi - p * (u[i] as number));
    }
    const norm = Math.hypot(...v);
    q.push(v.map((vi) => vi / norm));
  }
  const lambda = Array.from({ length: d }, (_, i) => 1 + ((condition - 1) * i) / (d - 1));
  const a = Array.from({ length: d }, (_, r) =>
    Array.from({ length: d }, (_, c) =>
      q.reduce((s, u, k) => s + (u[r] as number) * (lambda[k] as number) * (u[c] as number), 0),
    ),
  );
  const b = Array.from({ length: d }, rand);
  const evaluate = (x: Float64Array) => {
    const ax = a.map((row) => row.reduce((s, v, i) => s + v * (x[i] as number), 0));
    const value =
      0.5 * ax.reduce((s, v, i) => s + v * (x[i] as number), 0) -
      b.reduce((s, v, i) => s + v * (x[i] as number), 0);
    return { value, gradient: Float64Array.from(ax, (v, i) => v - (b[i] as number)) };
  };
  return { evaluate };
}

function rosenbrock(x: Float64Array) {
  // Extended Rosenbrock (Moré, Garbow & Hillstrom no. 21): independent pairs, minimum 0 at 1.
  let value = 0;
  const gradient = new Float64Array(x.length);
  for (let i = 0; i < x.length; i += 2) {
    const a = x[i] as number;
    const b = x[i + 1] as number;
    value += 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    gradient[i] = -400 * a * (b - a * a) - 2 * (1 - a);
    gradient[i + 1] = 200 * (b - a * a);
  }
  return { value, gradient };
}

const start = (n: number) => Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
const maxError = (x: Float64Array) => Math.max(...Array.from(x, (v) => Math.abs(v - 1)));

describe('minimizeLbfgs', () => {
  it('minimizes a strongly convex quadratic in at most d + 2 iterations (m ≥ d, exact line search)', () => {
    const d = 12;
    const { evaluate } = spdQuadratic(d, 100, 7);
    const result = minimizeLbfgs(evaluate, new Float64Array(d), {
      historySize: d,
      c2: 1e-6,
      gradientTolerance: 1e-9,
      objectiveTolerance: 0,
    });
    expect(result.stopReason).toBe('gradient');
    expect(result.iterations).toBeLessThanOrEqual(d + 2);
    // With the default Wolfe constants it still converges fast.
    const loose = minimizeLbfgs(evaluate, new Float64Array(d), {
      gradientTolerance: 1e-9,
      objectiveTolerance: 0,
    });
    // (it may end because f stopped changing in float64 before the gradient reached 1e-9)
    expect(loose.gradientNorm).toBeLessThan(1e-7);
    expect(loose.iterations).toBeLessThan(4 * d);
  });

  it('solves the 2-D Rosenbrock function to 1e-6 from (−1.2, 1)', () => {
    const result = minimizeLbfgs(rosenbrock, start(2), { gradientTolerance: 1e-10 });
    expect(maxError(result.x)).toBeLessThan(1e-6);
    expect(result.value).toBeLessThan(1e-12);
    expect(result.functionEvaluations).toBeLessThan(100);
  });

  it('solves the 100-D extended Rosenbrock function to 1e-6', () => {
    const result = minimizeLbfgs(rosenbrock, start(100), {
      gradientTolerance: 1e-10,
      maxIterations: 1000,
    });
    expect(maxError(result.x)).toBeLessThan(1e-6);
    expect(['gradient', 'objective', 'step']).toContain(result.stopReason);
  });

  it('says why it stopped: iteration cap, abort, non-finite start', () => {
    expect(minimizeLbfgs(rosenbrock, start(2), { maxIterations: 3 })).toMatchObject({
      stopReason: 'max-iterations',
      iterations: 3,
    });
    const controller = new AbortController();
    controller.abort();
    expect(minimizeLbfgs(rosenbrock, start(2), { signal: controller.signal }).stopReason).toBe(
      'aborted',
    );
    const nan = minimizeLbfgs(
      () => ({ value: NaN, gradient: new Float64Array(1) }),
      new Float64Array(1),
    );
    expect(nan.stopReason).toBe('non-finite');
    expect(() => minimizeLbfgs(rosenbrock, start(2), { historySize: 0 })).toThrow(
      /historySize must be a positive integer/,
    );
  });

  it('recovers from a line search that meets NaN by shrinking the step', () => {
    // f = x²/2 for x < 3, NaN beyond: the first trial steps overshoot into NaN.
    const evaluate = (x: Float64Array) => {
      const v = x[0] as number;
      return v > 3
        ? { value: NaN, gradient: Float64Array.of(NaN) }
        : { value: 0.5 * (v + 2) ** 2, gradient: Float64Array.of(v + 2) };
    };
    const result = minimizeLbfgs(evaluate, Float64Array.of(2.9), { gradientTolerance: 1e-9 });
    expect(result.x[0]).toBeCloseTo(-2, 8);
  });
});

describe('cubicInterpolate', () => {
  it('is exact on a quadratic and clamps to the bounds', () => {
    const f = (t: number) => (t - 0.3) ** 2;
    const g = (t: number) => 2 * (t - 0.3);
    expect(cubicInterpolate(0, f(0), g(0), 1, f(1), g(1))).toBeCloseTo(0.3, 12);
    expect(cubicInterpolate(0, f(0), g(0), 1, f(1), g(1), [0.5, 2])).toBe(0.5);
  });
});
