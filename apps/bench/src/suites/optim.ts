import * as tf from '@tensorflow/tfjs-core';
import { hadamard } from '@spredjs/core';
import { GroupedOptimizer, cosineSchedule, lbfgs } from '@spredjs/optim';
import { Lasso, alphaMax, columnsTensor, type DesignMatrix } from '@spredjs/solvers';
import { lassoObjective } from '../problems/lasso-objective.js';
import { sparseGaussianProblem } from '../problems/sparse-gaussian.js';
import type { BenchSuite, CaseResult } from '../harness/suite.js';

function centered(x: DesignMatrix, y: Float64Array): { x: DesignMatrix; y: Float64Array } {
  const n = x.rows;
  const data = Float64Array.from(x.data);
  for (let j = 0; j < x.cols; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[j * n + i] as number;
    m /= n;
    for (let i = 0; i < n; i++) data[j * n + i] = (data[j * n + i] as number) - m;
  }
  const ym = y.reduce((a, b) => a + b, 0) / n;
  return { x: { rows: n, cols: x.cols, data }, y: Float64Array.from(y, (v) => v - ym) };
}

/**
 * Suite `optim`: iterations and seconds for L-BFGS, Adam and SGD to bring the spred lasso
 * (V = U ⊙ W on all d features, no working set) to relative suboptimality 1e-6, measured in
 * float64 against coordinate descent at tight tolerance.
 */
export const optimSuite: BenchSuite = {
  name: 'optim',
  description:
    'L-BFGS vs Adam vs SGD on a spred lasso (n=500, d=10,000) to relative suboptimality 1e-6',
  async run(context) {
    const [n, d] = context.quick ? [100, 1000] : [500, 10_000];
    const budgetSeconds = context.quick ? 20 : 180;
    const target = 1e-6;
    const raw = sparseGaussianProblem(n, d, 20, 1, 7);
    const { x, y } = centered(raw.x, raw.y);
    const alpha = 0.1 * alphaMax(x, y, { fitIntercept: false });
    context.log(`optim: reference (coordinate descent, tol 1e-12), n=${n}, d=${d}`);
    const reference = new Lasso({ alpha, solver: 'cd', tol: 1e-12, fitIntercept: false }).fit(x, y);
    const best = lassoObjective(x, y, reference.coef, 0, alpha);
    const xt = columnsTensor(
      x,
      Array.from({ length: d }, (_, j) => j),
    );
    const yt = tf.tensor2d(Float32Array.from(y), [n, 1]);
    const cases: CaseResult[] = [];
    const makeCoef = () => hadamard([d, 1], { kappa: alpha / 2, seed: 0 });
    const relGapOf = (v: ArrayLike<number>) => (lassoObjective(x, y, v, 0, alpha) - best) / best;
    const loss = (coef: ReturnType<typeof makeCoef>) => () =>
      tf.tidy(
        () =>
          tf.add(
            tf.div(tf.sum(tf.square(tf.sub(yt, tf.matMul(xt, coef.value())))), 2 * n),
            coef.penalty(),
          ) as tf.Scalar,
      );

    {
      context.log('optim: L-BFGS');
      const coef = makeCoef();
      const controller = new AbortController();
      let reachedAt: { iteration: number; seconds: number } | undefined;
      let relGap = Infinity;
      const started = performance.now();
      const report = lbfgs(loss(coef), coef.variables, {
        gradientTolerance: 0,
        maxIterations: 100_000,
        historySize: 30,
        signal: controller.signal,
        onIteration: ({ iteration, x: point }) => {
          const v = Float64Array.from(
            { length: d },
            (_, j) => (point[j] as number) * (point[d + j] as number),
          );
          relGap = relGapOf(v);
          const seconds = (performance.now() - started) / 1000;
          if (relGap <= target && reachedAt === undefined) {
            reachedAt = { iteration, seconds };
            controller.abort();
          }
          if (seconds > budgetSeconds) controller.abort();
        },
      });
      cases.push({
        optimizer: 'lbfgs',
        iterations: reachedAt?.iteration ?? report.iterations,
        seconds: reachedAt?.seconds ?? (performance.now() - started) / 1000,
        relGap,
        reached: reachedAt !== undefined,
        stopReason: report.stopReason,
      });
      coef.dispose();
    }
    // Marchenko–Pastur: λmax(XᵀX/n) ≈ (1 + √(d/n))² for Gaussian X.
    const lambdaMax = (1 + Math.sqrt(d / n)) ** 2;
    for (const kind of ['adam', 'sgd'] as const) {
      context.log(`optim: ${kind}`);
      const coef = makeCoef();
      const u = coef.variables[0] as tf.Variable;
      const maxU = Math.max(1, ...Array.from(u.dataSync(), (v) => v * v));
      // SGD: the curvature in W is about u²·λmax(XᵀX/n); Adam: a standard rate, decayed by a cosine.
      const learningRate = kind === 'sgd' ? 0.5 / (lambdaMax * maxU) : 1e-2;
      const optimizer = new GroupedOptimizer({ kind, learningRate }, [
        { variables: coef.variables },
      ]);
      const maxSteps = context.quick ? 5000 : 50_000;
      const schedule = cosineSchedule({ epochs: maxSteps });
      const started = performance.now();
      let steps = 0;
      let relGap = Infinity;
      while (steps < maxSteps && (performance.now() - started) / 1000 < budgetSeconds) {
        if (kind === 'adam') optimizer.setLearningRateScale(schedule.factor(steps));
        optimizer.step(loss(coef));
        steps++;
        if (steps % 20 === 0) {
          const v = coef.value();
          relGap = relGapOf(v.dataSync());
          v.dispose();
          if (relGap <= target) break;
        }
      }
      cases.push({
        optimizer: kind,
        iterations: steps,
        seconds: (performance.now() - started) / 1000,
        relGap,
        reached: relGap <= target,
        stopReason: relGap <= target ? 'target' : 'budget',
      });
      optimizer.dispose();
      coef.dispose();
    }
    tf.dispose([xt, yt]);
    const lb = cases[0] as CaseResult;
    return {
      cases,
      columns: ['optimizer', 'iterations', 'seconds', 'relGap', 'reached', 'stopReason'],
      targets: [
        {
          name: 'L-BFGS reaches relative suboptimality 1e-6',
          met: lb['reached'] === true,
          detail: `relGap ${(lb['relGap'] as number).toExponential(2)} after ${lb['iterations']} iterations`,
        },
      ],
    };
  },
};
