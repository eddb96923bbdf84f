import * as tf from '@tensorflow/tfjs-core';
import { hadamard } from '@spredjs/core';
import { lbfgsAsync } from '@spredjs/optim';
import type { CaseResult, SuiteContext } from '../harness/suite.js';
import type { Target } from './lasso-cases.js';

/** L-BFGS iterations timed per size: a fixed amount of work, the same on every backend. */
const ITERATIONS = 20;

/**
 * Part `tensor` of the `lasso` suite: the same spred lasso objective
 * (1/2n)‖y − X(u ⊙ w)‖² + (α/2)(‖u‖² + ‖w‖²) at α = 0.1·α_max, on tfjs tensors of the active
 * backend, with a fixed number of L-BFGS iterations (`lbfgsAsync`, so it runs where synchronous
 * reads throw). X, the planted coefficients (20 nonzeros ±1) and the noise are drawn on the
 * backend from seeds. Reports milliseconds per iteration; run it pinned to two backends (the GPU
 * check does: webgpu and wasm) and their ratio is the speed-up of the same computation.
 *
 * @example
 * ```ts
 * const { cases } = await tensorLasso({ quick: true, log: console.error });
 * ```
 */
export async function tensorLasso(
  context: SuiteContext,
): Promise<{ cases: CaseResult[]; targets: Target[] }> {
  const sizes: [number, number][] = context.quick
    ? [[200, 10_000]]
    : [
        [500, 10_000],
        [1000, 100_000],
      ];
  const cases: CaseResult[] = [];
  for (const [n, d] of sizes) {
    context.log(`lasso tensor ${n}×${d}: drawing X on ${tf.getBackend()} (seed 7)`);
    const x = tf.randomNormal([n, d], 0, 1, 'float32', 7);
    const y = tf.tidy(() => {
      const truth = tf.buffer([d, 1]);
      for (let j = 0; j < 20; j++) truth.set(j % 2 === 0 ? 1 : -1, Math.floor((j * d) / 20), 0);
      return tf.add(tf.matMul(x, truth.toTensor()), tf.randomNormal([n, 1], 0, 1, 'float32', 8));
    });
    const top = tf.tidy(() => tf.div(tf.max(tf.abs(tf.matMul(x, y, true, false))), n));
    const alpha = 0.1 * ((await top.data())[0] as number);
    top.dispose();
    const coef = hadamard([d, 1], { kappa: alpha / 2, seed: 1 });
    const loss = () =>
      tf.add(
        tf.div(tf.sum(tf.square(tf.sub(y, tf.matMul(x, coef.value())))), 2 * n),
        coef.penalty(),
      ) as tf.Scalar;
    // One evaluation first: kernels compiled (WebGPU shaders), memory allocated.
    await lbfgsAsync(loss, coef.variables, { maxIterations: 1, gradientTolerance: 0 });
    const started = performance.now();
    const report = await lbfgsAsync(loss, coef.variables, {
      maxIterations: ITERATIONS,
      gradientTolerance: 0,
    });
    const seconds = (performance.now() - started) / 1000;
    const v = coef.value();
    const values = await v.data();
    v.dispose();
    let nnz = 0;
    for (const value of values) if (Math.abs(value) > 1e-6) nnz++;
    cases.push({
      part: 'tensor',
      problem: `planted ${n}×${d} on tensors`,
      alpha: 0.1,
      solver: `spred L-BFGS (${tf.getBackend()})`,
      setting: `${report.iterations} iterations, ${report.functionEvaluations} evaluations`,
      seconds,
      msPerIteration: (1000 * seconds) / Math.max(report.iterations, 1),
      nnz,
    });
    context.log(
      `lasso tensor ${n}×${d}: ${report.iterations} iterations in ${seconds.toFixed(2)} s (${report.stopReason})`,
    );
    coef.dispose();
    tf.dispose([x, y]);
  }
  return { cases, targets: [] };
}
