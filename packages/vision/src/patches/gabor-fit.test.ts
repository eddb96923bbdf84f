import { describe, expect, it } from 'vitest';
import { boxMuller, mulberry32 } from '@spredjs/core';
import { fitGabor, gaborShare } from './gabor-fit.js';

/** A 16×16 Gabor atom (θ = 0.6, λ = 6, σ = 2.5, γ = 0.8) with Gaussian noise of sd `noise`. */
function syntheticGabor(noise: number, seed: number): Float64Array {
  const size = 16;
  const gaussian = boxMuller(mulberry32(seed));
  const out = new Float64Array(size * size);
  const [x0, y0, theta, sigma, gamma, lambda, psi] = [7.3, 8.1, 0.6, 2.5, 0.8, 6, 0.4];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const xr = (x - x0) * Math.cos(theta) + (y - y0) * Math.sin(theta);
      const yr = -(x - x0) * Math.sin(theta) + (y - y0) * Math.cos(theta);
      out[y * size + x] =
        Math.exp(-(xr * xr + gamma * gamma * yr * yr) / (2 * sigma * sigma)) *
          Math.cos((2 * Math.PI * xr) / lambda + psi) +
        noise * gaussian();
    }
  return out;
}

describe('fitGabor', () => {
  it('a noisy Gabor atom is fitted with R² ≥ 0.9 and its wavelength and orientation found', () => {
    const fit = fitGabor(syntheticGabor(0.05, 1), 16);
    expect(fit.r2).toBeGreaterThanOrEqual(0.9);
    expect(fit.lambda).toBeGreaterThan(5);
    expect(fit.lambda).toBeLessThan(7);
  });

  it('white noise is not Gabor-like: R² < 0.5', () => {
    const gaussian = boxMuller(mulberry32(7));
    for (let t = 0; t < 3; t++) {
      const noise = Float64Array.from({ length: 256 }, () => gaussian());
      const { r2 } = fitGabor(noise, 16);
      expect(r2).toBeLessThan(0.5);
    }
  });

  it('gaborShare counts the atoms with R² ≥ 0.5', () => {
    const gaussian = boxMuller(mulberry32(3));
    const atoms = new Float64Array(2 * 256);
    atoms.set(syntheticGabor(0.02, 2), 0);
    atoms.set(
      Float64Array.from({ length: 256 }, () => gaussian()),
      256,
    );
    const { r2, share } = gaborShare(atoms, 16);
    expect(r2).toHaveLength(2);
    expect(share).toBe(0.5);
  });
});
