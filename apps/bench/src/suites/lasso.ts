import { Lasso, alphaMax } from '@spred/solvers';
import { glmnetPeer, sklearnPeer, type ExternalPeer } from '../peers/external-peers.js';
import { lassoObjective } from '../problems/lasso-objective.js';
import { sparseGaussianProblem, supportF1 } from '../problems/sparse-gaussian.js';
import type { BenchSuite, CaseResult } from '../harness/suite.js';

interface Answer {
  readonly solver: string;
  readonly seconds: number;
  readonly coef: ArrayLike<number>;
  readonly intercept: number;
  readonly note?: string;
}

/**
 * Suite `lasso`: spred against coordinate descent (ours, float64) and, when installed, scikit-learn's
 * Lasso / LassoLars and glmnet, on synthetic Gaussian problems with 20 true nonzeros, at α = 0.1 and
 * 0.01 × α_max. Every answer is scored by the same float64 objective; relGap and supportF1 are
 * relative to the best answer of the case.
 */
export const lassoSuite: BenchSuite = {
  name: 'lasso',
  description:
    'spred vs coordinate descent (and sklearn / glmnet when installed) on Gaussian lasso problems',
  async run(context) {
    const sizes: [number, number][] = context.quick
      ? [[200, 1000]]
      : [
          [200, 1000],
          [500, 10_000],
          [1000, 100_000],
        ];
    const peers: ExternalPeer[] = [sklearnPeer('Lasso'), sklearnPeer('LassoLars'), glmnetPeer()];
    const available = peers.filter((p) => {
      const why = p.unavailable();
      if (why !== undefined) context.log(`lasso: skipping ${p.name}: ${why}`);
      return why === undefined;
    });
    const cases: CaseResult[] = [];
    for (const [n, d] of sizes) {
      context.log(`lasso: generating n=${n}, d=${d}`);
      const problem = sparseGaussianProblem(n, d, 20, 1, n + d);
      const top = alphaMax(problem.x, problem.y);
      for (const ratio of [0.1, 0.01]) {
        const alpha = ratio * top;
        const answers: Answer[] = [];
        for (const solver of ['cd', 'spred'] as const) {
          context.log(`lasso: n=${n} d=${d} α=${ratio}·α_max ${solver}`);
          const model = new Lasso({ alpha, solver, tol: solver === 'cd' ? 1e-8 : 1e-6 }).fit(
            problem.x,
            problem.y,
          );
          answers.push({
            solver: solver === 'cd' ? 'spred-cd' : 'spred',
            seconds: model.seconds,
            coef: model.coef,
            intercept: model.intercept,
          });
        }
        for (const peer of available) {
          context.log(`lasso: n=${n} d=${d} α=${ratio}·α_max ${peer.name}`);
          try {
            const fit = peer.fitLasso(problem.x, problem.y, alpha, 1e-8);
            answers.push({
              solver: peer.name,
              seconds: fit.seconds,
              coef: fit.coef,
              intercept: fit.intercept,
            });
          } catch (e) {
            context.log(
              `lasso: ${peer.name} failed: ${e instanceof Error ? e.message : String(e)}`,
            );
          }
        }
        const objectives = answers.map((a) =>
          lassoObjective(problem.x, problem.y, a.coef, a.intercept, alpha),
        );
        const bestIndex = objectives.indexOf(Math.min(...objectives));
        const best = answers[bestIndex] as Answer;
        const cdSeconds = answers.find((a) => a.solver === 'spred-cd')?.seconds ?? NaN;
        const sklearnSeconds = answers.find((a) => a.solver === 'sklearn-Lasso')?.seconds ?? NaN;
        answers.forEach((a, i) => {
          cases.push({
            n,
            d,
            alphaRatio: ratio,
            solver: a.solver,
            seconds: a.seconds,
            objective: objectives[i] as number,
            relGap:
              ((objectives[i] as number) - (objectives[bestIndex] as number)) /
              (objectives[bestIndex] as number),
            nnz: Array.from(a.coef).filter((v) => v !== 0).length,
            supportF1: supportF1(a.coef, best.coef),
            vsCd: a.seconds / cdSeconds,
            vsSklearn: Number.isNaN(sklearnSeconds) ? null : a.seconds / sklearnSeconds,
          });
        });
      }
    }
    const largest = sizes.at(-1) as [number, number];
    const spredLargest = cases.filter(
      (c) => c['solver'] === 'spred' && c['n'] === largest[0] && c['d'] === largest[1],
    );
    const accurate = spredLargest.every(
      (c) => (c['relGap'] as number) <= 1e-6 && c['supportF1'] === 1,
    );
    const reference = cases.some((c) => c['solver'] === 'sklearn-Lasso')
      ? 'sklearn-Lasso'
      : 'spred-cd';
    const slowest = Math.max(
      ...spredLargest.map((c) => {
        const ref = cases.find(
          (r) =>
            r['solver'] === reference &&
            r['n'] === c['n'] &&
            r['d'] === c['d'] &&
            r['alphaRatio'] === c['alphaRatio'],
        );
        return (c['seconds'] as number) / ((ref?.['seconds'] as number | undefined) ?? NaN);
      }),
    );
    return {
      cases,
      columns: [
        'n',
        'd',
        'alphaRatio',
        'solver',
        'seconds',
        'objective',
        'relGap',
        'nnz',
        'supportF1',
        'vsCd',
        'vsSklearn',
      ],
      targets: [
        {
          name: `spred relGap ≤ 1e-6 and supportF1 = 1 at n=${largest[0]}, d=${largest[1]}`,
          met: accurate,
          detail: spredLargest
            .map(
              (c) =>
                `relGap ${(c['relGap'] as number).toExponential(1)}, F1 ${(c['supportF1'] as number).toFixed(3)}`,
            )
            .join('; '),
        },
        {
          name: `spred no slower than ${reference} at n=${largest[0]}, d=${largest[1]}`,
          met: slowest <= 1,
          detail: `worst time ratio ${slowest.toFixed(2)}`,
        },
      ],
    };
  },
};
