import { describe, expect, it } from 'vitest';
import { toDesignMatrix } from '../data/design-matrix.js';
import { logisticLoss } from '../datafits/logistic.js';
import { multinomialLoss } from '../datafits/multinomial.js';
import { squaredLoss } from '../datafits/squared.js';
import { elasticNetPenalty } from '../penalties/elastic-net.js';
import { groupL1Penalty } from '../penalties/group-l1.js';
import { l1Penalty } from '../penalties/l1.js';
import { gaussian } from '../testing/synthetic.js';
import { fista } from './fista.js';
import { dualityGap, type SparseProblem } from './problem.js';

describe('duality gap', () => {
  const draw = gaussian(13);
  const n = 40;
  const d = 12;
  const x = toDesignMatrix(Array.from({ length: n }, () => Array.from({ length: d }, draw)));
  const yReal = Float64Array.from({ length: n }, draw);
  const yBinary = Float64Array.from(yReal, (v) => (v > 0 ? 1 : 0));
  const yOneHot = new Float64Array(n * 3);
  yReal.forEach((v, i) => (yOneHot[(v < -0.5 ? 0 : v < 0.5 ? 1 : 2) * n + i] = 1));
  const problems: [string, SparseProblem][] = [
    [
      'squared + l1',
      { x, y: yReal, k: 1, datafit: squaredLoss, penalty: l1Penalty(0.1), fitIntercept: false },
    ],
    [
      'squared + elastic net',
      {
        x,
        y: yReal,
        k: 1,
        datafit: squaredLoss,
        penalty: elasticNetPenalty(0.1, 0.5),
        fitIntercept: false,
      },
    ],
    [
      'squared + group',
      {
        x,
        y: yReal,
        k: 1,
        datafit: squaredLoss,
        penalty: groupL1Penalty(
          0.1,
          Array.from({ length: d }, (_, j) => j % 3),
        ),
        fitIntercept: false,
      },
    ],
    [
      'logistic + l1',
      { x, y: yBinary, k: 1, datafit: logisticLoss, penalty: l1Penalty(0.02), fitIntercept: true },
    ],
    [
      'multinomial + l1',
      {
        x,
        y: yOneHot,
        k: 3,
        datafit: multinomialLoss,
        penalty: l1Penalty(0.02),
        fitIntercept: true,
      },
    ],
  ];
  for (const [name, problem] of problems) {
    it(`${name}: never negative at random points, and 0 at the minimum`, () => {
      for (let t = 0; t < 5; t++) {
        const w = Float64Array.from({ length: d * problem.k }, () => 0.3 * draw());
        const intercept = Float64Array.from({ length: problem.k }, () => 0.1 * draw());
        expect(dualityGap(problem, { w, intercept }).gap).toBeGreaterThanOrEqual(0);
      }
      const solved = fista(problem, { tol: 1e-12, maxIterations: 100_000 });
      expect(solved.gap).toBeLessThan(1e-9);
    });
  }
});
