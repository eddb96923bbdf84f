import { SpredInputError } from '@spredjs/core/errors';
import { dot } from './vector.js';

/**
 * The limited memory of L-BFGS: the last m pairs (s, y) of steps and gradient changes, and the
 * initial inverse Hessian H₀ = γ·I, γ = sᵀy/yᵀy of the newest pair, one γ per block of variables
 * when `blocks` (the start of each block) is given. `direction` is the two-loop recursion
 * −H·g (Nocedal & Wright, Alg. 7.4). Plain L-BFGS and its orthant-wise variant share it.
 */
export class CurvatureMemory {
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private readonly rho: number[] = [];
  private readonly starts: readonly number[];
  private readonly gamma: Float64Array;
  private readonly alphas: Float64Array;

  /** `size`: the history m, a positive integer (checked: it is a user's option). */
  constructor(
    private readonly size: number,
    n: number,
    blocks: readonly number[] = [0],
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new SpredInputError(`historySize must be a positive integer, got ${size}`);
    this.starts = [...blocks, n];
    this.gamma = new Float64Array(blocks.length).fill(1);
    this.alphas = new Float64Array(size);
  }

  /** No pair kept (at the start, or after {@link CurvatureMemory.reset}). */
  get empty(): boolean {
    return this.s.length === 0;
  }

  /** −H·g. */
  direction(g: Float64Array): Float64Array {
    const n = g.length;
    const d = Float64Array.from(g, (v) => -v);
    for (let k = this.s.length - 1; k >= 0; k--) {
      const a = (this.rho[k] as number) * dot(this.s[k] as Float64Array, d);
      this.alphas[k] = a;
      const y = this.y[k] as Float64Array;
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) - a * (y[i] as number);
    }
    for (let b = 0; b < this.gamma.length; b++) {
      const scale = this.gamma[b] as number;
      for (let i = this.starts[b] as number; i < (this.starts[b + 1] as number); i++)
        d[i] = (d[i] as number) * scale;
    }
    for (let k = 0; k < this.s.length; k++) {
      const b = (this.rho[k] as number) * dot(this.y[k] as Float64Array, d);
      const s = this.s[k] as Float64Array;
      const a = this.alphas[k] as number;
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) + (a - b) * (s[i] as number);
    }
    return d;
  }

  /**
   * Keeps the pair when its curvature sᵀy is positive enough that H stays positive definite
   * (sᵀy > 1e-10·‖s‖‖y‖), dropping the oldest beyond m; returns whether it was kept.
   */
  push(s: Float64Array, y: Float64Array): boolean {
    const ys = dot(y, s);
    const yy = dot(y, y);
    if (!(ys > 1e-10 * Math.sqrt(dot(s, s) * yy))) return false;
    if (this.s.length === this.size) {
      this.s.shift();
      this.y.shift();
      this.rho.shift();
    }
    this.s.push(s);
    this.y.push(y);
    this.rho.push(1 / ys);
    if (this.gamma.length === 1) this.gamma[0] = ys / yy;
    else
      for (let b = 0; b < this.gamma.length; b++) {
        let sy = 0;
        let yyBlock = 0;
        for (let i = this.starts[b] as number; i < (this.starts[b + 1] as number); i++) {
          sy += (s[i] as number) * (y[i] as number);
          yyBlock += (y[i] as number) * (y[i] as number);
        }
        this.gamma[b] = sy > 0 && yyBlock > 0 ? sy / yyBlock : ys / yy;
      }
    return true;
  }

  /** Forgets every pair (a direction that did not descend: the curvature went stale). */
  reset(): void {
    this.s.length = 0;
    this.y.length = 0;
    this.rho.length = 0;
    this.gamma.fill(1);
  }
}

/** Checks an iteration cap: a non-negative integer. */
export function checkMaxIterations(maxIterations: number): number {
  if (!Number.isInteger(maxIterations) || maxIterations < 0)
    throw new SpredInputError(`maxIterations must be a non-negative integer, got ${maxIterations}`);
  return maxIterations;
}
