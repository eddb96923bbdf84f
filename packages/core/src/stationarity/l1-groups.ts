/**
 * The nonsmooth part R(x) = Σ_g λ_g‖x_g‖₂ of an objective over one flat float64 vector x: entry
 * i < `groupOf.length` belongs to group `groupOf[i]`; the entries after them carry no penalty
 * (biases, unpenalized weights). λ_g = 2κ_g. Plain numbers, no tensors: the certificate and
 * L-BFGS's orthant-wise variant share these few formulas.
 */
export interface L1Groups {
  readonly groupOf: Int32Array;
  /** λ_g = 2κ_g for every group. */
  readonly lambda: Float64Array;
}

/** ‖x_g‖₂ of every group. */
export function groupNorms(groups: L1Groups, x: Float64Array): Float64Array {
  const squares = new Float64Array(groups.lambda.length);
  const { groupOf } = groups;
  for (let i = 0; i < groupOf.length; i++) {
    const v = x[i] as number;
    const g = groupOf[i] as number;
    squares[g] = (squares[g] as number) + v * v;
  }
  return squares.map(Math.sqrt);
}

/** R(x) = Σ_g λ_g‖x_g‖₂. */
export function l1Value(groups: L1Groups, x: Float64Array): number {
  const norms = groupNorms(groups, x);
  let r = 0;
  for (let g = 0; g < norms.length; g++) r += (groups.lambda[g] as number) * (norms[g] as number);
  return r;
}

/**
 * The element of least norm of the subdifferential of f + R at x, from ∇f: on a nonzero group
 * g + λ·x_g/‖x_g‖; on a zero group g·max(0, 1 − λ/‖g‖) (zero when ‖g‖ ≤ λ); on free entries g.
 * It is zero exactly at a first-order stationary point; for single-entry groups it is the
 * pseudo-gradient of OWL-QN (Andrew & Gao, 2007).
 */
export function pseudoGradient(
  groups: L1Groups,
  x: Float64Array,
  gradient: Float64Array,
): Float64Array {
  const { groupOf, lambda } = groups;
  const xNorms = groupNorms(groups, x);
  const gNorms = groupNorms(groups, gradient);
  const out = Float64Array.from(gradient);
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i] as number;
    const xn = xNorms[g] as number;
    const l = lambda[g] as number;
    if (xn > 0) out[i] = (gradient[i] as number) + (l * (x[i] as number)) / xn;
    else {
      const gn = gNorms[g] as number;
      out[i] = gn <= l ? 0 : (gradient[i] as number) * (1 - l / gn);
    }
  }
  return out;
}

/**
 * Each group's violation of its first-order condition, relative to λ_g: max(0, ‖g_g‖ − λ_g)/λ_g
 * at a zero group, ‖g_g + λ_g x_g/‖x_g‖‖/λ_g at a nonzero one; and `free`, the largest |g_i| over
 * the unpenalized entries relative to the smallest λ.
 */
export function groupViolations(
  groups: L1Groups,
  x: Float64Array,
  gradient: Float64Array,
): { readonly group: Float64Array; readonly free: number; readonly zero: Uint8Array } {
  const { groupOf, lambda } = groups;
  const xNorms = groupNorms(groups, x);
  const residual = new Float64Array(lambda.length);
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i] as number;
    const xn = xNorms[g] as number;
    const v =
      xn > 0
        ? (gradient[i] as number) + ((lambda[g] as number) * (x[i] as number)) / xn
        : (gradient[i] as number);
    residual[g] = (residual[g] as number) + v * v;
  }
  const group = new Float64Array(lambda.length);
  const zero = new Uint8Array(lambda.length);
  for (let g = 0; g < lambda.length; g++) {
    const l = lambda[g] as number;
    const r = Math.sqrt(residual[g] as number);
    zero[g] = (xNorms[g] as number) === 0 ? 1 : 0;
    group[g] = zero[g] === 1 ? Math.max(0, r - l) / l : r / l;
  }
  let free = 0;
  for (let i = groupOf.length; i < gradient.length; i++)
    free = Math.max(free, Math.abs(gradient[i] as number));
  let smallest = Infinity;
  for (let g = 0; g < lambda.length; g++) smallest = Math.min(smallest, lambda[g] as number);
  return { group, free: lambda.length === 0 ? free : free / smallest, zero };
}
