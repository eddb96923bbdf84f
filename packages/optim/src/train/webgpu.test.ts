import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hadamard } from '@spredjs/core';
import { initBackend } from '@spredjs/runtime';
import { GroupedOptimizer } from '../optimizers/grouped-optimizer.js';
import { lbfgsAsync } from '../lbfgs/lbfgs.js';
import { orthogonalLasso } from '../testing/orthogonal-lasso.js';
import { train } from './train.js';

// WebGPU in Node on Dawn, on the SwiftShader Vulkan driver that Debian's `chromium` ships (the
// README's optional set-up: apt-get install chromium libvulkan1). Skipped without it.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const LOADER = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/lib/x86_64-linux-gnu/libvulkan.so.1'];
const available = existsSync(SWIFTSHADER) && LOADER.some((p) => existsSync(p));

describe.skipIf(!available)('on WebGPU (SwiftShader), where synchronous reads throw', () => {
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    process.env['VK_ICD_FILENAMES'] ??= SWIFTSHADER;
    const choice = await initBackend({ backend: 'webgpu' });
    expect(choice.details['architecture']).toBe('swiftshader');
  }, 60_000);
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('really refuses dataSync', async () => {
    const t = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(() => t.dataSync()).toThrow(); // a result still on the GPU
    expect(Array.from(await t.data())).toEqual([11]);
    t.dispose();
  });

  it('lbfgsAsync solves a spred lasso to the closed form', async () => {
    const alpha = 0.1;
    const problem = orthogonalLasso(alpha);
    const coef = hadamard([problem.d, 1], { kappa: alpha / 2, seed: 1 });
    const report = await lbfgsAsync(
      () => tf.add(problem.datafit(coef.value()), coef.penalty()) as tf.Scalar,
      coef.variables,
      { gradientTolerance: 1e-5, maxIterations: 300 },
    );
    const v = coef.value();
    const values = Array.from(await v.data());
    values.forEach((x, j) => expect(x).toBeCloseTo(problem.exact[j] as number, 3));
    expect(report.iterations).toBeGreaterThan(0);
    tf.dispose(v);
    coef.dispose();
    problem.dispose();
  }, 120_000);

  it('train() with the fused Adam (its tfjs-ops twin here) and the penalty as l2 lowers the loss', async () => {
    const alpha = 0.1;
    const problem = orthogonalLasso(alpha);
    const coef = hadamard([problem.d, 1], { kappa: alpha / 2, seed: 1 });
    const optimizer = new GroupedOptimizer({ kind: 'adam', learningRate: 0.05 }, [
      { variables: coef.variables, l2: alpha },
    ]);
    const result = await train({
      optimizer,
      epochs: 40,
      loss: () => problem.datafit(coef.value()),
    });
    const losses = result.history.map((h) => h.loss);
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) / 2);
    optimizer.dispose();
    coef.dispose();
    problem.dispose();
  }, 120_000);
});
