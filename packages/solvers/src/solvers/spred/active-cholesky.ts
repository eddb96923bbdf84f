/**
 * The Cholesky factor L (A = LLᵀ) of the Gram matrix of an active set, kept up to date as
 * features enter (one new row of L: a forward substitution, O(s²)) and leave (an O(s²) downdate).
 * What feature-sign search solves with at every step, and the Newton steps of the logistic
 * finish, in float64. (Hand-written: ml-matrix has no updates, and its import alone costs a
 * command-line fit 0.1 s.)
 */
export class ActiveCholesky {
  /** Row-major lower triangle, `capacity` × `capacity`. */
  private factor: Float64Array;
  private capacity: number;
  /** The active features, in the order of L's rows. */
  readonly members: number[] = [];

  constructor(
    private readonly entry: (i: number, j: number) => number,
    capacity = 16,
  ) {
    this.capacity = capacity;
    this.factor = new Float64Array(capacity * capacity);
  }

  /** Appends feature j; false (and no change) when the matrix would not be positive definite. */
  add(j: number): boolean {
    const s = this.members.length;
    if (s === this.capacity) this.grow();
    const c = this.capacity;
    const L = this.factor;
    let diagonal = this.entry(j, j);
    for (let p = 0; p < s; p++) {
      let v = this.entry(j, this.members[p] as number);
      for (let q = 0; q < p; q++) v -= (L[s * c + q] as number) * (L[p * c + q] as number);
      v /= L[p * c + p] as number;
      L[s * c + p] = v;
      diagonal -= v * v;
    }
    if (!(diagonal > 1e-13 * Math.abs(this.entry(j, j)))) return false;
    L[s * c + s] = Math.sqrt(diagonal);
    this.members.push(j);
    return true;
  }

  /** Removes features, one O(s²) downdate each (a rank-one update of the trailing block). */
  remove(leaving: ReadonlySet<number>): void {
    for (let p = this.members.length - 1; p >= 0; p--)
      if (leaving.has(this.members[p] as number)) this.removeAt(p);
  }

  private removeAt(p: number): void {
    const s = this.members.length;
    const c = this.capacity;
    const L = this.factor;
    // Rows below p lose column p; that column is the rank-one update of the block below.
    const x = new Float64Array(s - p - 1);
    for (let i = p + 1; i < s; i++) {
      x[i - p - 1] = L[i * c + p] as number;
      for (let q = p; q < i - 1; q++) L[(i - 1) * c + q] = L[i * c + q + 1] as number;
      for (let q = 0; q < p; q++) L[(i - 1) * c + q] = L[i * c + q] as number;
      L[(i - 1) * c + i - 1] = L[i * c + i] as number;
    }
    const m = s - p - 1;
    for (let kk = 0; kk < m; kk++) {
      const row = p + kk;
      const lkk = L[row * c + row] as number;
      const r = Math.hypot(lkk, x[kk] as number);
      const cos = r / lkk;
      const sin = (x[kk] as number) / lkk;
      L[row * c + row] = r;
      for (let ii = kk + 1; ii < m; ii++) {
        const i = p + ii;
        const updated = ((L[i * c + row] as number) + sin * (x[ii] as number)) / cos;
        x[ii] = cos * (x[ii] as number) - sin * updated;
        L[i * c + row] = updated;
      }
    }
    this.members.splice(p, 1);
  }

  /** Solves A x = b for b in the order of `members`. */
  solve(b: Float64Array): Float64Array {
    const s = this.members.length;
    const c = this.capacity;
    const L = this.factor;
    const z = Float64Array.from(b);
    for (let p = 0; p < s; p++) {
      let v = z[p] as number;
      for (let q = 0; q < p; q++) v -= (L[p * c + q] as number) * (z[q] as number);
      z[p] = v / (L[p * c + p] as number);
    }
    for (let p = s - 1; p >= 0; p--) {
      let v = z[p] as number;
      for (let q = p + 1; q < s; q++) v -= (L[q * c + p] as number) * (z[q] as number);
      z[p] = v / (L[p * c + p] as number);
    }
    return z;
  }

  private grow(): void {
    const old = this.factor;
    const c = this.capacity;
    this.capacity *= 2;
    this.factor = new Float64Array(this.capacity * this.capacity);
    for (let p = 0; p < c; p++)
      this.factor.set(old.subarray(p * c, p * c + p + 1), p * this.capacity);
  }
}
