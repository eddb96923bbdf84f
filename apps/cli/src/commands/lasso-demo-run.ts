import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { hadamard, sparsity, thresholdAgreement } from '@spred/core';
import type { CliIO } from '../cli-io.js';
import { BUNDLED_DATA_DIR } from '../demo/bundled-data-dir.js';
import { readExpressionFolder } from '../demo/bundled-data.js';
import { orthonormalDesign, softThreshold } from '../demo/orthonormal-design.js';
import type { LassoDemoOptions } from './lasso-demo.js';

/**
 * The work of `spred lasso-demo`, in its own module so that the registration of the command
 * (`lasso-demo.ts`) loads neither tfjs nor @spred/core: solves the lasso on the bundled Alon
 * data with spred, compares with the closed form, prints the comparison and returns it.
 *
 * @example
 * ```ts
 * const result = runLassoDemo({ genes: 20, alphaRatio: 0.4, steps: 20000, seed: 0 }, processIO);
 * if (!result.agrees) process.exitCode = 1;
 * ```
 */
export function runLassoDemo(options: LassoDemoOptions, io: CliIO) {
  const data = readExpressionFolder(join(BUNDLED_DATA_DIR, 'alon'));
  const n = data.samples.length;
  const g = data.genes.length;
  if (options.genes > n - 1) {
    throw new Error(
      `--genes must be at most ${n - 1} (the design is orthogonalized over ${n} samples)`,
    );
  }
  // log2 intensities; keep the d most variable genes.
  const logged = data.values.map((v) => Math.log2(Math.max(v, 1)));
  const variance = Array.from({ length: g }, (_, j) => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = logged[i * g + j] as number;
      s += v;
      s2 += v * v;
    }
    return s2 / n - (s / n) ** 2;
  });
  const chosen = variance
    .map((v, j) => [v, j] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, options.genes)
    .map(([, j]) => j);
  const d = chosen.length;
  const raw = new Float64Array(n * d);
  chosen.forEach((j, c) => {
    for (let i = 0; i < n; i++) raw[i * d + c] = logged[i * g + j] as number;
  });
  const x = orthonormalDesign(raw, n, d);
  const yRaw = data.labels.map((l) => (l === 't' ? 1 : 0));
  const yMean = yRaw.reduce<number>((a, b) => a + b, 0) / n;
  const y = Float64Array.from(yRaw, (v) => v - yMean);

  // Closed form on XᵀX = nI: v* = S(Xᵀy/n, α).
  const z = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i * d + j] as number) * (y[i] as number);
    return s / n;
  });
  const alphaMax = Math.max(...z.map(Math.abs));
  const alpha = options.alphaRatio * alphaMax;
  const exact = z.map((zj) => softThreshold(zj, alpha));

  const started = performance.now();
  const xT = tf.tensor2d(Float32Array.from(x), [n, d]);
  const yT = tf.tensor2d(Float32Array.from(y), [n, 1]);
  // (1/2n)‖y − Xv‖² + α‖v‖₁ with α‖v‖₁ = 2κ‖v‖₁: κ = α/2.
  const coef = hadamard([d, 1], { kappa: alpha / 2, seed: options.seed });
  // On XᵀX = nI the curvature in W is u² (≈ 1 for the unit-variance U start, up to ≈ 9).
  const learningRate = 0.2;
  const optimizer = tf.train.sgd(learningRate);
  const objective = () =>
    tf.tidy(
      () =>
        tf.add(
          tf.div(tf.sum(tf.square(tf.sub(yT, tf.matMul(xT, coef.value())))), 2 * n),
          coef.penalty(),
        ) as tf.Scalar,
    );
  // Stop once V has settled (moved ≤ 1e-7 over 100 steps) and the shares of zeros at 1e-6 and
  // 1e-4 agree, or at the cap. (A float32 objective cannot see coefficient errors below ~1e-4.)
  let steps = 0;
  let previous = Array.from({ length: d }, () => Infinity);
  while (steps < options.steps) {
    for (let k = 0; k < 100; k++) optimizer.minimize(objective, false, [...coef.variables]);
    steps += 100;
    const v = coef.value();
    const current = Array.from(v.dataSync());
    v.dispose();
    const moved = Math.max(...current.map((c, j) => Math.abs(c - (previous[j] as number))));
    previous = current;
    if (moved <= 1e-7 && thresholdAgreement(coef, { low: 1e-6, high: 1e-4 }).agreed) break;
  }
  const threshold = 1e-5;
  const collapsed = coef.collapse({ threshold });
  const spred = Array.from(collapsed.dataSync());
  const seconds = (performance.now() - started) / 1000;
  const zeros = sparsity(collapsed, 0);
  collapsed.dispose();
  coef.dispose();
  optimizer.dispose();
  xT.dispose();
  yT.dispose();

  const maxAbsError = Math.max(...spred.map((v, j) => Math.abs(v - (exact[j] as number))));
  const supportMatches = spred.every((v, j) => (v === 0) === (exact[j] === 0));
  const agrees = maxAbsError <= 1e-4 && supportMatches;
  io.out(
    `lasso on Alon colon tumor vs normal: n=${n}, d=${d} orthogonalized genes, α=${alpha.toPrecision(4)} (${options.alphaRatio}·α_max)`,
  );
  io.out(
    `spred (SGD on V = U ⊙ W, ${steps} steps of ${learningRate}, ${seconds.toFixed(2)} s): ${spred.filter((v) => v !== 0).length} nonzero, ${(zeros * 100).toFixed(1)}% exact zeros after threshold ${threshold}`,
  );
  io.out(`closed form S(Xᵀy/n, α): ${exact.filter((v) => v !== 0).length} nonzero`);
  io.out(
    `max |spred − exact| = ${maxAbsError.toExponential(2)}; support ${supportMatches ? 'identical' : 'DIFFERS'}`,
  );
  io.out(
    agrees
      ? 'OK: spred matches the closed-form lasso'
      : 'FAILED: spred does not match the closed form',
  );
  return {
    dataset: 'alon',
    n,
    d,
    alpha,
    alphaRatio: options.alphaRatio,
    steps,
    seconds,
    threshold,
    genes: chosen.map((j) => data.genes[j]),
    spred,
    exact,
    maxAbsError,
    supportMatches,
    agrees,
  };
}
