import * as tf from '@tensorflow/tfjs-core';

/**
 * A lasso (1/2n)‖y − Xv‖² + α‖v‖₁ on a design with XᵀX = n·I (Hadamard-like ±1 columns), whose
 * answer is the soft threshold S(Xᵀy/n, α). Test fixture shared by this package's tests.
 */
export function orthogonalLasso(alpha: number) {
  const n = 16;
  const d = 6;
  // Columns of the 16×16 Sylvester–Hadamard matrix (entries ±1, mutually orthogonal), skipping the all-ones column.
  const x = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, j) => (popcount(i & (j + 1)) % 2 === 0 ? 1 : -1) as number),
  );
  const truth = [1.5, -0.8, 0, 0.05, 0, -0.3];
  const y = x.map(
    (row, i) => row.reduce((s, v, j) => s + v * (truth[j] as number), 0) + 0.01 * Math.sin(7 * i),
  );
  const z = Array.from(
    { length: d },
    (_, j) => x.reduce((s, row, i) => s + (row[j] as number) * (y[i] as number), 0) / n,
  );
  const exact = z.map((zj) => Math.sign(zj) * Math.max(Math.abs(zj) - alpha, 0));
  const X = tf.tensor2d(x);
  const Y = tf.tensor2d(y, [n, 1]);
  const datafit = (v: tf.Tensor) =>
    tf.div(tf.sum(tf.square(tf.sub(Y, tf.matMul(X, v)))), 2 * n) as tf.Scalar;
  return { n, d, X, Y, exact, datafit, dispose: () => tf.dispose([X, Y]) };
}

function popcount(v: number): number {
  let c = 0;
  for (let k = v; k > 0; k >>= 1) c += k & 1;
  return c;
}
