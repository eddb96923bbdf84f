/**
 * Centers the columns of a row-major n × d matrix and orthogonalizes them (modified Gram–Schmidt,
 * in float64), scaled so that XᵀX = n·I. On such a design the lasso
 * (1/2n)‖y − Xv‖² + α‖v‖₁ has the closed form v = S(Xᵀy/n, α), the soft threshold.
 * Throws if the columns are linearly dependent.
 */
export function orthonormalDesign(x: Float64Array, n: number, d: number): Float64Array {
  if (d > n - 1) throw new Error(`cannot make ${d} centered orthogonal columns from ${n} rows`);
  const q = new Float64Array(n * d);
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + j] as number;
    mean /= n;
    for (let i = 0; i < n; i++) col[i] = (x[i * d + j] as number) - mean;
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (q[i * d + k] as number) * (col[i] as number);
      dot /= n;
      for (let i = 0; i < n; i++) col[i] = (col[i] as number) - dot * (q[i * d + k] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (col[i] as number) ** 2;
    norm = Math.sqrt(norm / n);
    if (norm < 1e-10) throw new Error(`column ${j} is linearly dependent on the previous ones`);
    for (let i = 0; i < n; i++) q[i * d + j] = (col[i] as number) / norm;
  }
  return q;
}

/** The soft-threshold operator S(z, α) = sign(z)·max(|z| − α, 0). */
export function softThreshold(z: number, alpha: number): number {
  return Math.sign(z) * Math.max(Math.abs(z) - alpha, 0);
}
