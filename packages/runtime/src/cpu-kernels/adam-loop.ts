import type { AdamUpdateAttrs } from '../wasm-kernels/adam-update.js';

/** The arrays one Adam step reads (x, gradient, m, v) and writes (x', m', v'). */
export interface AdamArrays {
  readonly x: Float32Array;
  readonly gradient: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly xOut: Float32Array;
  readonly mOut: Float32Array;
  readonly vOut: Float32Array;
}

/**
 * One Adam step over every entry, in one loop: g = ∇ + λx; m' = β1m + (1−β1)g;
 * v' = β2v + (1−β2)g²; x' = shrink·x − lr·(m'·c1)/(√(v'·c2) + ε). Outputs may alias inputs.
 */
export function adamLoop(arrays: AdamArrays, a: AdamUpdateAttrs): void {
  const { x, gradient, m, v, xOut, mOut, vOut } = arrays;
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps } = a;
  const { firstCorrection: c1, secondCorrection: c2, coupledDecay: decay, shrink } = a;
  const a1 = 1 - b1;
  const a2 = 1 - b2;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const gi = (gradient[i] as number) + decay * xi;
    const mi = Math.fround(b1 * (m[i] as number) + a1 * gi);
    const vi = Math.fround(b2 * (v[i] as number) + a2 * gi * gi);
    mOut[i] = mi;
    vOut[i] = vi;
    xOut[i] = shrink * xi - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
  }
}
