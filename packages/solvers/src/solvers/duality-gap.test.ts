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

// Everything below named `hand…` is computed here from the rows of X, without the solvers' code.
type HandPenalty =
  | { readonly kind: 'l1'; readonly alpha: number }
  | { readonly kind: 'elastic net'; readonly alpha: number; readonly rho: number }
  | { readonly kind: 'group'; readonly alpha: number; readonly groups: number[] };

describe('duality gap', () => {
  const draw = gaussian(13);
  const n = 40;
  const d = 12;
  const rows = Array.from({ length: n }, () => Array.from({ length: d }, draw));
  const x = toDesignMatrix(rows);
  const yReal = Float64Array.from({ length: n }, draw);
  const yBinary = Float64Array.from(yReal, (v) => (v > 0 ? 1 : 0));
  const yOneHot = new Float64Array(n * 3);
  yReal.forEach((v, i) => (yOneHot[(v < -0.5 ? 0 : v < 0.5 ? 1 : 2) * n + i] = 1));
  const groups = Array.from({ length: d }, (_, j) => j % 3);
  const cases: [string, SparseProblem, HandPenalty][] = [
    [
      'squared + l1',
      { x, y: yReal, k: 1, datafit: squaredLoss, penalty: l1Penalty(0.1), fitIntercept: false },
      { kind: 'l1', alpha: 0.1 },
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
      { kind: 'elastic net', alpha: 0.1, rho: 0.5 },
    ],
    [
      'squared + group',
      {
        x,
        y: yReal,
        k: 1,
        datafit: squaredLoss,
        penalty: groupL1Penalty(0.1, groups),
        fitIntercept: false,
      },
      { kind: 'group', alpha: 0.1, groups },
    ],
    [
      'logistic + l1',
      { x, y: yBinary, k: 1, datafit: logisticLoss, penalty: l1Penalty(0.02), fitIntercept: true },
      { kind: 'l1', alpha: 0.02 },
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
      { kind: 'l1', alpha: 0.02 },
    ],
  ];

  /** Z = XW + 1bᵀ, column-major n × k. */
  const handPredictions = (p: SparseProblem, w: Float64Array, b: Float64Array) =>
    Float64Array.from({ length: n * p.k }, (_, q) => {
      const c = Math.floor(q / n);
      const row = rows[q % n] as number[];
      const bias = p.fitIntercept ? (b[c] as number) : 0;
      return row.reduce((s, v, j) => s + v * (w[j * p.k + c] as number), bias);
    });

  /** ∂(n·F)/∂Z: Z − Y, σ(Z) − Y or softmax(Z) − Y. */
  const handResidual = (p: SparseProblem, z: Float64Array) => {
    if (p.datafit === squaredLoss) return z.map((v, q) => v - (p.y[q] as number));
    if (p.datafit === logisticLoss)
      return z.map((v, q) => 1 / (1 + Math.exp(-v)) - (p.y[q] as number));
    const out = new Float64Array(n * p.k);
    for (let i = 0; i < n; i++) {
      const e = Array.from({ length: p.k }, (_, c) => Math.exp(z[c * n + i] as number));
      const sum = e.reduce((a, v) => a + v, 0);
      e.forEach((v, c) => (out[c * n + i] = v / sum - (p.y[c * n + i] as number)));
    }
    return out;
  };

  const handPenaltyValue = (pen: HandPenalty, w: Float64Array) => {
    if (pen.kind === 'l1') return pen.alpha * w.reduce((s, v) => s + Math.abs(v), 0);
    if (pen.kind === 'elastic net')
      return (
        pen.alpha * w.reduce((s, v) => s + pen.rho * Math.abs(v) + ((1 - pen.rho) / 2) * v * v, 0)
      );
    return (
      pen.alpha * groupNorms(pen.groups, w).reduce((s, v, g) => s + groupWeight(pen, g) * v, 0)
    );
  };

  const groupNorms = (of: number[], v: ArrayLike<number>) => {
    const squares = new Array<number>(Math.max(...of) + 1).fill(0);
    of.forEach((g, j) => (squares[g] = (squares[g] as number) + (v[j] as number) ** 2));
    return squares.map(Math.sqrt);
  };
  const groupWeight = (pen: HandPenalty & { kind: 'group' }, g: number) =>
    Math.sqrt(pen.groups.filter((h) => h === g).length);

  const handPrimal = (p: SparseProblem, pen: HandPenalty, w: Float64Array, b: Float64Array) => {
    const z = handPredictions(p, w, b);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      if (p.datafit === squaredLoss) loss += 0.5 * ((p.y[i] as number) - (z[i] as number)) ** 2;
      else if (p.datafit === logisticLoss)
        loss += Math.log1p(Math.exp(z[i] as number)) - (p.y[i] as number) * (z[i] as number);
      else
        for (let c = 0, sum = 0; c < p.k; c++) {
          sum += Math.exp(z[c * n + i] as number);
          loss -= (p.y[c * n + i] as number) * (z[c * n + i] as number);
          if (c === p.k - 1) loss += Math.log(sum);
        }
    }
    return loss / n + handPenaltyValue(pen, w);
  };

  /** The largest violation of the optimality conditions 0 ∈ ∇F(W) + ∂Ω(W), ∂F/∂b = 0. */
  const handKktViolation = (
    p: SparseProblem,
    pen: HandPenalty,
    w: Float64Array,
    b: Float64Array,
  ) => {
    const r = handResidual(p, handPredictions(p, w, b));
    const grad = Float64Array.from({ length: d * p.k }, (_, e) => {
      const j = Math.floor(e / p.k);
      const c = e % p.k;
      let s = 0;
      for (let i = 0; i < n; i++) s += (rows[i]?.[j] as number) * (r[c * n + i] as number);
      return s / n;
    });
    let worst = 0;
    if (p.fitIntercept)
      for (let c = 0; c < p.k; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += r[c * n + i] as number;
        worst = Math.max(worst, Math.abs(s / n));
      }
    if (pen.kind === 'group') {
      const wNorms = groupNorms(pen.groups, w);
      wNorms.forEach((norm, g) => {
        const level = pen.alpha * groupWeight(pen, g);
        const members = pen.groups.flatMap((h, j) => (h === g ? [j] : []));
        const residual =
          norm > 0
            ? Math.hypot(
                ...members.map((j) => (grad[j] as number) + (level * (w[j] as number)) / norm),
              )
            : Math.max(Math.hypot(...members.map((j) => grad[j] as number)) - level, 0);
        worst = Math.max(worst, residual);
      });
      return worst;
    }
    const level = pen.kind === 'l1' ? pen.alpha : pen.alpha * pen.rho;
    const ridge = pen.kind === 'l1' ? 0 : pen.alpha * (1 - pen.rho);
    w.forEach((v, e) => {
      const g = (grad[e] as number) + ridge * v;
      worst = Math.max(
        worst,
        v !== 0 ? Math.abs(g + level * Math.sign(v)) : Math.max(Math.abs(g) - level, 0),
      );
    });
    return worst;
  };

  /**
   * P − D with the dual point θ = −∂(nF)/∂Z scaled by s into the dual-feasible set, and D the
   * datafit's Fenchel dual: (1/n) Σ sθy − ½(sθ)² (squared), (1/n) Σ H(y − sθ) (logistic,
   * multinomial: the entropy of the scaled probabilities), minus the penalty's conjugate.
   */
  const handGap = (p: SparseProblem, pen: HandPenalty, w: Float64Array, b: Float64Array) => {
    const theta = handResidual(p, handPredictions(p, w, b)).map((v) => -v);
    const g = Array.from({ length: d * p.k }, (_, e) =>
      rows.reduce(
        (s, row, i) =>
          s + (row[Math.floor(e / p.k)] as number) * (theta[(e % p.k) * n + i] as number),
        0,
      ),
    );
    let scale = 1;
    let conjugate = 0;
    if (pen.kind === 'l1') scale = Math.min(1, (n * pen.alpha) / Math.max(...g.map(Math.abs)));
    else if (pen.kind === 'group')
      scale = Math.min(
        1,
        (n * pen.alpha) /
          Math.max(...groupNorms(pen.groups, g).map((v, q) => v / groupWeight(pen, q))),
      );
    else
      for (const v of g)
        conjugate +=
          Math.max(Math.abs(v) / n - pen.alpha * pen.rho, 0) ** 2 / (2 * pen.alpha * (1 - pen.rho));
    const entropy = (q: number) => (q > 0 ? -q * Math.log(q) : 0);
    let dual = 0;
    theta.forEach((t, q) => {
      const y = p.y[q] as number;
      if (p.datafit === squaredLoss) dual += scale * t * y - 0.5 * (scale * t) ** 2;
      else if (p.datafit === logisticLoss)
        dual += entropy(y - scale * t) + entropy(1 - y + scale * t);
      else dual += entropy(y - scale * t);
    });
    return handPrimal(p, pen, w, b) - (dual / n - conjugate);
  };

  const randomPoint = (p: SparseProblem) => ({
    w: Float64Array.from({ length: d * p.k }, () => 0.3 * draw()),
    intercept: Float64Array.from({ length: p.k }, () => 0.1 * draw()),
  });

  for (const [name, problem, penalty] of cases) {
    it(`${name}: equals P − D computed by hand at random points, where it is far from 0`, () => {
      for (let t = 0; t < 5; t++) {
        const point = randomPoint(problem);
        const expected = handGap(problem, penalty, point.w, point.intercept);
        expect(expected).toBeGreaterThan(1e-3);
        const { gap, objective } = dualityGap(problem, point);
        expect(gap).toBeCloseTo(expected, 12);
        expect(objective).toBeCloseTo(handPrimal(problem, penalty, point.w, point.intercept), 12);
      }
    });

    it(`${name}: 0 at a minimum certified by hand, and above P(w) − P* everywhere else`, () => {
      const solved = fista(problem, { tol: 1e-12, maxIterations: 100_000 });
      // The minimum, checked by its optimality conditions rather than by the gap FISTA stops on.
      expect(handKktViolation(problem, penalty, solved.w, solved.intercept)).toBeLessThan(1e-5);
      expect(dualityGap(problem, solved).gap).toBeLessThan(1e-9);
      const best = handPrimal(problem, penalty, solved.w, solved.intercept);
      for (let t = 0; t < 5; t++) {
        const point = randomPoint(problem);
        const suboptimality = handPrimal(problem, penalty, point.w, point.intercept) - best;
        expect(suboptimality).toBeGreaterThan(1e-3);
        // Weak duality: every dual value is ≤ P*, so the gap bounds the distance to the minimum.
        expect(dualityGap(problem, point).gap).toBeGreaterThanOrEqual(suboptimality - 1e-12);
      }
    });
  }
});
