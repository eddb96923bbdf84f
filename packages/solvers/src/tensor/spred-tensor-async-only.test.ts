import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { onAsyncOnlyAndCpu } from '@spredjs/runtime/testing';
import { Lasso } from '../estimators/regressors.js';
import { softThreshold } from '../penalties/l1.js';
import { DictionaryLearning } from '../sparse-coding/dictionary-learning.js';
import { gaussian, orthogonalLassoProblem, sparseRegression } from '../testing/synthetic.js';

/** The orthogonal-design lasso and its closed-form answer at α. */
function orthogonalLasso(alpha: number) {
  const { x, y, n, d, z } = orthogonalLassoProblem();
  return { x, y, n, d, exact: z.map((zj) => softThreshold(zj, alpha)) };
}

/** A lasso fitted by spred on tensors (L-BFGS on working sets), X and y given as tensors. */
async function tensorLasso(x: number[][], y: number[], alpha: number) {
  const xt = tf.tensor2d(x);
  const yt = tf.tensor1d(y);
  try {
    const model = await new Lasso({ alpha, tol: 1e-6, spred: { device: 'tensor' } }).fitAsync(
      xt,
      yt,
    );
    return {
      coef: model.coef,
      intercept: model.intercept,
      objective: model.objective,
      gap: model.dualityGap,
      nIter: model.nIter,
      converged: model.converged,
    };
  } finally {
    tf.dispose([xt, yt]);
  }
}

describe('spred on tensors where synchronous reads throw (as on WebGPU in Node)', () => {
  it('fitAsync with device tensor matches the closed-form lasso on an orthogonal design, as on cpu', async () => {
    const alpha = 0.15;
    const { x, y, exact } = orthogonalLasso(alpha);
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(() => tensorLasso(x, y, alpha));
    expect(asyncOnly).toEqual(cpu);
    expect(asyncOnly.converged).toBe(true);
    asyncOnly.coef.forEach((v, j) => expect(v).toBeCloseTo(exact[j] as number, 4));
    expect(asyncOnly.coef.map((v) => v === 0)).toEqual(exact.map((v) => v === 0));
  });

  it('on working sets smaller than d, reaches the coordinate-descent answer, as on cpu', async () => {
    const { x, y } = sparseRegression(60, 80, 4, 0.2, 5);
    const cd = new Lasso({ alpha: 0.05, solver: 'cd', tol: 1e-12 }).fit(x, y);
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(() => tensorLasso(x, y, 0.05));
    expect(asyncOnly).toEqual(cpu);
    expect(asyncOnly.converged).toBe(true);
    expect((asyncOnly.objective - cd.objective) / cd.objective).toBeLessThan(1e-5);
    expect(asyncOnly.coef.map((v) => v !== 0)).toEqual(cd.coef.map((v) => v !== 0));
  });
});

describe('DictionaryLearning where synchronous reads throw', () => {
  it('fit and transform give what they give on cpu', async () => {
    const d = 8;
    const k = 4;
    const n = 60;
    const draw = gaussian(3);
    const values = Float32Array.from({ length: n * d }, draw);
    const run = async () => {
      const dl = await new DictionaryLearning({
        nAtoms: k,
        alpha: 0.2,
        epochs: 2,
        batchSize: 30,
        codeSteps: 5,
        seed: 1,
      }).fit({ rows: n, cols: d, values });
      const sample = { rows: 3, cols: d, values: values.subarray(0, 3 * d) };
      return {
        components: Array.from(dl.components),
        codes: Array.from(dl.codes),
        history: dl.history.map(({ seconds: _seconds, ...record }) => record),
        stopReason: dl.stopReason,
        transformed: Array.from(await dl.transform(sample, { maxIterations: 200 })),
      };
    };
    const { asyncOnly, cpu } = await onAsyncOnlyAndCpu(run);
    expect(asyncOnly).toEqual(cpu);
    expect(asyncOnly.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(asyncOnly.stopReason).toBe('epochs');
  });
});
