import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hadamard } from '@spredjs/core';
import { GroupedOptimizer } from './grouped-optimizer.js';
import { lbfgs } from '../lbfgs/lbfgs.js';
import { cosineSchedule } from '../schedules/fixed-schedules.js';
import { train } from '../train/train.js';
import { orthogonalLasso } from '../testing/orthogonal-lasso.js';

const value = (t: tf.Tensor) => Array.from(t.dataSync());

describe('SGD, Adam and L-BFGS all solve a spred lasso to the closed-form answer', () => {
  const alpha = 0.1;

  it('SGD', async () => {
    const problem = orthogonalLasso(alpha);
    const coef = hadamard([problem.d, 1], { kappa: alpha / 2, seed: 1 });
    const optimizer = new GroupedOptimizer({ kind: 'sgd', learningRate: 0.2 }, [
      { variables: coef.variables },
    ]);
    await train({
      optimizer,
      epochs: 4000,
      loss: () => tf.add(problem.datafit(coef.value()), coef.penalty()) as tf.Scalar,
    });
    value(coef.value()).forEach((v, j) => expect(v).toBeCloseTo(problem.exact[j] as number, 5));
    [optimizer, coef, problem].forEach((o) => o.dispose());
  });

  it('Adam (with a cosine decay so the steps shrink to zero)', async () => {
    const problem = orthogonalLasso(alpha);
    const coef = hadamard([problem.d, 1], { kappa: alpha / 2, seed: 1 });
    const optimizer = new GroupedOptimizer({ kind: 'adam', learningRate: 0.02 }, [
      { variables: coef.variables },
    ]);
    await train({
      optimizer,
      epochs: 3000,
      schedule: cosineSchedule({ epochs: 3000 }),
      loss: () => tf.add(problem.datafit(coef.value()), coef.penalty()) as tf.Scalar,
    });
    value(coef.value()).forEach((v, j) => expect(v).toBeCloseTo(problem.exact[j] as number, 3));
    [optimizer, coef, problem].forEach((o) => o.dispose());
  });

  it('L-BFGS', () => {
    const problem = orthogonalLasso(alpha);
    const coef = hadamard([problem.d, 1], { kappa: alpha / 2, seed: 1 });
    const report = lbfgs(
      () => tf.add(problem.datafit(coef.value()), coef.penalty()) as tf.Scalar,
      coef.variables,
      { gradientTolerance: 1e-7 },
    );
    value(coef.value()).forEach((v, j) => expect(v).toBeCloseTo(problem.exact[j] as number, 5));
    expect(report.iterations).toBeLessThan(200);
    [coef, problem].forEach((o) => o.dispose());
  });
});

describe('weight decay and the L1 equivalence', () => {
  /** Trains v = u·w on ½(uw − 1)² with weight decay only; returns v and the imbalance |u| − |w|. */
  function decayOnly(kind: 'sgd' | 'adam' | 'adamw') {
    const u = tf.variable(tf.scalar(1.3));
    const w = tf.variable(tf.scalar(0.4));
    const optimizer = new GroupedOptimizer(
      { kind, learningRate: kind === 'sgd' ? 0.1 : 0.01, weightDecay: 0.3 },
      [{ variables: [u, w] }],
    );
    for (let i = 0; i < 6000; i++) {
      if (i === 4000) optimizer.setLearningRateScale(0.1);
      optimizer.step(() => tf.mul(0.5, tf.square(tf.sub(tf.mul(u, w), 1))) as tf.Scalar);
    }
    const [uu, ww] = [u.dataSync()[0] as number, w.dataSync()[0] as number];
    optimizer.dispose();
    tf.dispose([u, w]);
    return { v: uu * ww, imbalance: Math.abs(uu) - Math.abs(ww) };
  }

  it('coupled decay (an L2 term, under SGD or Adam) on the factors solves the L1 problem: v = S(1, wd)', () => {
    for (const kind of ['sgd', 'adam'] as const) {
      const { v, imbalance } = decayOnly(kind);
      expect(v).toBeCloseTo(0.7, 4);
      expect(Math.abs(imbalance)).toBeLessThan(1e-3);
    }
  });

  it("AdamW's decoupled decay does not: its fixed point is neither the lasso answer nor balanced", () => {
    const { v, imbalance } = decayOnly('adamw');
    expect(Math.abs(v - 0.7)).toBeGreaterThan(0.1);
    expect(Math.abs(imbalance)).toBeGreaterThan(0.1);
  });
});

describe('parameter groups', () => {
  it('apply each group its own learning rate and weight decay', () => {
    const a = tf.variable(tf.scalar(1));
    const b = tf.variable(tf.scalar(1));
    const optimizer = new GroupedOptimizer({ kind: 'sgd', learningRate: 0.1 }, [
      { variables: [a] },
      { variables: [b], learningRate: 0.01, weightDecay: 2 },
    ]);
    // ∂/∂a (a + b) = 1; ∂/∂b = 1 + 2·b (coupled decay).
    optimizer.step(() => tf.add(a, b) as tf.Scalar);
    expect(a.dataSync()[0]).toBeCloseTo(1 - 0.1, 6);
    expect(b.dataSync()[0]).toBeCloseTo(1 - 0.01 * 3, 6);
    optimizer.setLearningRateScale(0.5);
    expect(optimizer.learningRate(1)).toBeCloseTo(0.005, 10);
    optimizer.dispose();
    tf.dispose([a, b]);
  });

  it('reports a non-finite loss without updating', () => {
    const a = tf.variable(tf.scalar(-1));
    const optimizer = new GroupedOptimizer({ kind: 'adam', learningRate: 0.1 }, [
      { variables: [a] },
    ]);
    expect(optimizer.step(() => tf.sqrt(a) as tf.Scalar)).toEqual({ loss: NaN, finite: false });
    expect(a.dataSync()[0]).toBe(-1);
    optimizer.dispose();
    a.dispose();
  });

  it('rejects bad specs and overlapping groups', () => {
    const a = tf.variable(tf.scalar(1));
    expect(
      () => new GroupedOptimizer({ kind: 'sgd', learningRate: 0 }, [{ variables: [a] }]),
    ).toThrow(/learningRate must be positive/);
    expect(
      () => new GroupedOptimizer({ kind: 'lamb' as 'sgd', learningRate: 1 }, [{ variables: [a] }]),
    ).toThrow(/unknown optimizer 'lamb'/);
    expect(
      () =>
        new GroupedOptimizer({ kind: 'sgd', learningRate: 1, weightDecay: -1 }, [
          { variables: [a] },
        ]),
    ).toThrow(/weightDecay must be ≥ 0/);
    expect(
      () =>
        new GroupedOptimizer({ kind: 'sgd', learningRate: 1 }, [
          { variables: [a] },
          { variables: [a] },
        ]),
    ).toThrow(/in two parameter groups/);
    expect(() => new GroupedOptimizer({ kind: 'sgd', learningRate: 1 }, [])).toThrow(
      /at least one parameter group/,
    );
    a.dispose();
  });

  it('moves its state to a new optimizer without leaking a tensor', async () => {
    const a = tf.variable(tf.tensor1d([1, -2, 3]), true, 'state-move-a');
    const b = tf.variable(tf.tensor1d([0.5]), true, 'state-move-b');
    const before = tf.memory().numTensors;
    const loss = () => tf.sum(tf.square(tf.add(tf.mul(a, b), 1))) as tf.Scalar;
    const first = new GroupedOptimizer({ kind: 'adam', learningRate: 0.1 }, [
      { variables: [a] },
      { variables: [b], weightDecay: 0.01 },
    ]);
    first.step(loss);
    first.step(loss);
    const state = await first.getState();
    const second = new GroupedOptimizer(first.spec, first.groups);
    await second.setState(state);
    tf.dispose(state.groups.flat().map((w) => w.tensor));
    first.dispose();
    second.step(loss);
    second.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});

describe("a group's l2 is the spred penalty folded into the optimizer", () => {
  for (const kind of ['adamw', 'sgd'] as const) {
    it(`${kind}: l2 = 2κ on U and W follows the same steps as κ(‖U‖² + ‖W‖²) in the loss`, () => {
      const kappa = 0.05;
      const make = () => {
        const coef = hadamard([7, 3], { kappa, seed: 4 });
        const bias = tf.variable(tf.zeros([3]));
        const target = tf.tidy(() => tf.div(tf.reshape(tf.range(0, 21, 1, 'float32'), [7, 3]), 10));
        const datafit = () =>
          tf.tidy(() => tf.sum(tf.square(tf.sub(tf.add(coef.value(), bias), target)))) as tf.Scalar;
        return { coef, bias, target, datafit };
      };
      const inLoss = make();
      const folded = make();
      const spec = { kind, learningRate: 0.01, weightDecay: 0.1 };
      const a = new GroupedOptimizer(spec, [
        { variables: [inLoss.bias] },
        { variables: inLoss.coef.variables, weightDecay: 0 },
      ]);
      const b = new GroupedOptimizer(spec, [
        { variables: [folded.bias] },
        { variables: folded.coef.variables, weightDecay: 0, l2: 2 * kappa },
      ]);
      for (let i = 0; i < 25; i++) {
        a.step(() => tf.add(inLoss.datafit(), inLoss.coef.penalty()) as tf.Scalar);
        b.step(folded.datafit);
      }
      const gap = tf.tidy(
        () =>
          tf.max(tf.abs(tf.sub(inLoss.coef.value(), folded.coef.value()))).dataSync()[0] as number,
      );
      expect(gap).toBeLessThan(1e-6);
      value(inLoss.bias).forEach((x, j) => expect(value(folded.bias)[j]).toBeCloseTo(x, 6));
      for (const s of [inLoss, folded]) {
        s.coef.dispose();
        tf.dispose([s.bias, s.target]);
      }
      [a, b].forEach((o) => o.dispose());
    });
  }

  it('refuses a negative l2', () => {
    const v = tf.variable(tf.zeros([2]));
    expect(
      () => new GroupedOptimizer({ kind: 'adam', learningRate: 0.1 }, [{ variables: [v], l2: -1 }]),
    ).toThrow(/l2 must be ≥ 0/);
    v.dispose();
  });
});
