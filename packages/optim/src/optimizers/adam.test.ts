import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ADAM_UPDATE_KERNEL, AdamOptimizer, adamUpdate } from './adam.js';

/**
 * A strongly convex loss of two variables with curvatures from 0.5 to 4 (so rounding differences
 * shrink instead of growing); 1,003 entries leave a tail after the 4-lane SIMD loop.
 */
function problem(seed: number) {
  const a = tf.variable(tf.randomNormal([37, 29], 0, 1, 'float32', seed));
  const b = tf.variable(tf.randomNormal([1003], 0, 1, 'float32', seed + 1));
  const ca = tf.randomUniform([37, 29], 0.5, 4, 'float32', seed + 2);
  const cb = tf.randomUniform([1003], 0.5, 4, 'float32', seed + 3);
  const loss = () =>
    tf.add(
      tf.sum(tf.mul(ca, tf.square(tf.sub(a, 0.3)))),
      tf.sum(tf.mul(cb, tf.square(tf.add(b, 1)))),
    ) as tf.Scalar;
  return { vars: [a, b], loss, dispose: () => tf.dispose([a, b, ca, cb]) };
}

/** max |x − y| / max |y|. */
function worstRelative(x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(
    () => tf.div(tf.max(tf.abs(tf.sub(x, y))), tf.max(tf.abs(y))).dataSync()[0] as number,
  );
}

describe('AdamOptimizer (one fused pass per variable)', () => {
  it('follows tf.train.adam step for step', () => {
    const reference = problem(1);
    const ours = problem(1);
    const tfAdam = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
    const adam = new AdamOptimizer(0.01, 0.9, 0.999, 1e-8);
    for (let i = 0; i < 40; i++) {
      tfAdam.minimize(reference.loss, false, reference.vars);
      adam.minimize(ours.loss, false, ours.vars);
    }
    ours.vars.forEach((v, k) =>
      expect(worstRelative(v, reference.vars[k] as tf.Variable)).toBeLessThan(2e-5),
    );
    [reference, ours, tfAdam, adam].forEach((o) => o.dispose());
  });

  it('with coupled decay 2κ follows Adam on the loss plus κ‖x‖² (spred penalty folded in)', () => {
    const kappa = 0.05;
    const withPenalty = problem(3);
    const folded = problem(3);
    const plain = new AdamOptimizer(0.01);
    const decayed = new AdamOptimizer(0.01, 0.9, 0.999, 1e-8, { coupled: 2 * kappa });
    const penalized = () =>
      tf.addN([
        withPenalty.loss(),
        ...withPenalty.vars.map((v) => tf.mul(kappa, tf.sum(tf.square(v)))),
      ]) as tf.Scalar;
    for (let i = 0; i < 40; i++) {
      plain.minimize(penalized, false, withPenalty.vars);
      decayed.minimize(folded.loss, false, folded.vars);
    }
    folded.vars.forEach((v, k) =>
      expect(worstRelative(v, withPenalty.vars[k] as tf.Variable)).toBeLessThan(2e-5),
    );
    [withPenalty, folded, plain, decayed].forEach((o) => o.dispose());
  });

  it("with decoupled decay λ shrinks x by 1 − lr·λ before tfjs's Adam step (AdamW)", () => {
    const reference = problem(5);
    const ours = problem(5);
    const lr = 0.01;
    const lambda = 0.3;
    const tfAdam = tf.train.adam(lr, 0.9, 0.999, 1e-8);
    const adamw = new AdamOptimizer(lr, 0.9, 0.999, 1e-8, { decoupled: lambda });
    for (let i = 0; i < 30; i++) {
      const { grads } = tf.variableGrads(reference.loss, reference.vars);
      reference.vars.forEach((v) => v.assign(tf.tidy(() => tf.mul(v, 1 - lr * lambda))));
      tfAdam.applyGradients(reference.vars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      tf.dispose(grads);
      adamw.minimize(ours.loss, false, ours.vars);
    }
    ours.vars.forEach((v, k) =>
      expect(worstRelative(v, reference.vars[k] as tf.Variable)).toBeLessThan(2e-5),
    );
    [reference, ours, tfAdam, adamw].forEach((o) => o.dispose());
  });

  it('saves and restores its state: 10 + 10 steps equal 20', async () => {
    const straight = problem(7);
    const resumed = problem(7);
    const a = new AdamOptimizer(0.02);
    for (let i = 0; i < 20; i++) a.minimize(straight.loss, false, straight.vars);
    const b = new AdamOptimizer(0.02);
    for (let i = 0; i < 10; i++) b.minimize(resumed.loss, false, resumed.vars);
    const saved = (await b.getWeights()).map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    expect(saved.map((w) => w.name)).toEqual([
      'iter',
      `${resumed.vars[0]!.name}/m`,
      `${resumed.vars[1]!.name}/m`,
      `${resumed.vars[0]!.name}/v`,
      `${resumed.vars[1]!.name}/v`,
    ]);
    b.dispose();
    const c = new AdamOptimizer(0.02);
    await c.setWeights(saved);
    expect(c.iterations).toBe(10);
    for (let i = 0; i < 10; i++) c.minimize(resumed.loss, false, resumed.vars);
    resumed.vars.forEach((v, k) =>
      expect(worstRelative(v, straight.vars[k] as tf.Variable)).toBe(0),
    );
    tf.dispose(saved.filter((w) => w.name === 'iter').map((w) => w.tensor));
    [straight, resumed, a, c].forEach((o) => o.dispose());
  });

  it('uses the fused kernel the test backend registers, and its tfjs-ops twin agrees with it', () => {
    // @spredjs/runtime registers the kernel for wasm and cpu under this name.
    const backend = tf.getBackend();
    const config = tf.getKernel(ADAM_UPDATE_KERNEL, backend);
    if (!['wasm', 'cpu'].includes(backend)) return;
    expect(config).toBeDefined();
    const [x, g, m, v0] = [11, 12, 13, 14].map((s) => tf.randomNormal([1003], 0, 1, 'float32', s));
    const v = tf.abs(v0 as tf.Tensor);
    const attrs = {
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      firstCorrection: 1 / (1 - 0.9 ** 3),
      secondCorrection: 1 / (1 - 0.999 ** 3),
      coupledDecay: 0.1,
      shrink: 0.999,
    };
    const fused = adamUpdate(x!, g!, m!, v, attrs);
    tf.unregisterKernel(ADAM_UPDATE_KERNEL, backend);
    let ops;
    try {
      ops = adamUpdate(x!, g!, m!, v, attrs);
    } finally {
      tf.registerKernel(config!);
    }
    for (const key of ['x', 'm', 'v'] as const)
      expect(worstRelative(fused[key], ops[key])).toBeLessThan(1e-5);
    tf.dispose([x!, g!, m!, v0!, v, ...Object.values(fused), ...Object.values(ops)]);
  });

  it('leaks no tensors', () => {
    const p = problem(9);
    const adam = new AdamOptimizer(0.01, 0.9, 0.999, 1e-8, { coupled: 0.1 });
    adam.minimize(p.loss, false, p.vars);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) adam.minimize(p.loss, false, p.vars);
    expect(tf.memory().numTensors).toBe(before);
    adam.dispose();
    p.dispose();
  });
});
