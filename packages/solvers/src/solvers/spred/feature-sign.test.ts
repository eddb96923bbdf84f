import { describe, expect, it } from 'vitest';
import { gaussian } from '../../testing/synthetic.js';
import { featureSign, type Quadratic } from './feature-sign.js';

/** A = MᵀM/n + ridge·I and b = Mᵀy/n for a random n × d M (column-major) and y. */
function randomQuadratic(n: number, d: number, ridge: number, seed: number) {
  const draw = gaussian(seed);
  const m = Float64Array.from({ length: n * d }, draw);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += (m[i * n + r] as number) * (m[j * n + r] as number);
      a[i * d + j] = s / n + (i === j ? ridge : 0);
    }
  // b = Mᵀy/n, in the range of A (else a singular A leaves the problem unbounded below).
  const y = Float64Array.from({ length: n }, draw);
  const b = Float64Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += (m[j * n + r] as number) * (y[r] as number);
    return s / n;
  });
  const quadratic: Quadratic = {
    entry: (i, j) => a[i * d + j] as number,
    gradient(v, active, indices, out) {
      for (const j of indices ?? Array.from({ length: d }, (_, q) => q)) {
        let s = -(b[j] as number);
        for (const q of active) s += (a[j * d + q] as number) * (v[q] as number);
        out[j] = s;
      }
    },
  };
  return { a, b, quadratic };
}

/** max over j of the KKT violation of min ½vᵀAv − bᵀv + λ‖v‖₁, relative to λ. */
function kktViolation(a: Float64Array, b: Float64Array, v: Float64Array, lambda: number): number {
  const d = b.length;
  let worst = 0;
  for (let j = 0; j < d; j++) {
    let g = -(b[j] as number);
    for (let q = 0; q < d; q++) g += (a[j * d + q] as number) * (v[q] as number);
    const vj = v[j] as number;
    const violation =
      vj === 0 ? Math.max(0, Math.abs(g) - lambda) : Math.abs(g + lambda * Math.sign(vj));
    worst = Math.max(worst, violation / lambda);
  }
  return worst;
}

describe('featureSign', () => {
  it.each([
    ['well-posed (n > d), from zero', 200, 60, 0, 0.02],
    ['wide (d > n), from zero: many features enter in batches', 40, 120, 0, 0.01],
    ['elastic net ridge, wide', 40, 120, 0.05, 0.01],
  ])('%s: the KKT conditions hold to 1e-10', (_, n, d, ridge, lambda) => {
    const { a, b, quadratic } = randomQuadratic(n, d, ridge, 3);
    const levels = new Float64Array(d).fill(lambda);
    const v = featureSign(new Float64Array(d), b, levels, quadratic, d);
    expect(v).toBeDefined();
    const nnz = v!.filter((x) => x !== 0).length;
    expect(nnz).toBeGreaterThan(5);
    expect(kktViolation(a, b, v!, lambda)).toBeLessThan(1e-10);
  });

  it('from a wrong start (wrong signs, extra features) reaches the same minimum', () => {
    const n = 50;
    const d = 80;
    const { a, b, quadratic } = randomQuadratic(n, d, 0, 11);
    const levels = new Float64Array(d).fill(0.02);
    const fromZero = featureSign(new Float64Array(d), b, levels, quadratic, d)!;
    const draw = gaussian(5);
    const start = Float64Array.from({ length: d }, () => draw());
    const fromStart = featureSign(start, b, levels, quadratic, d);
    expect(fromStart).toBeDefined();
    expect(kktViolation(a, b, fromStart!, 0.02)).toBeLessThan(1e-10);
    fromStart!.forEach((v, j) => expect(v).toBeCloseTo(fromZero[j] as number, 9));
  });
});
