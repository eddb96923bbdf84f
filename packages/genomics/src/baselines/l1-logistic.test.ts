import { boxMuller, mulberry32 } from '@spredjs/core';
import { logisticPath } from '@spredjs/solvers/linear';
import { describe, expect, it } from 'vitest';
import { xorLikeGenes } from '../testing/synthetic-genes.js';
import { l1LogisticPath, type L1LogisticSamples } from './l1-logistic.js';

/** Rows [from, to) of a row-major n × p matrix with their labels. */
function rows(
  values: Float32Array,
  labels: Int32Array,
  p: number,
  from: number,
  to: number,
): L1LogisticSamples {
  return { x: values.slice(from * p, to * p), labels: labels.slice(from, to) };
}

/** A planted 3-class problem: class c raises gene c by 1.5 (and lowers gene 3); the rest is N(0, 1). */
function threeClasses(n: number, p: number, seed: number) {
  const normal = boxMuller(mulberry32(seed));
  const values = new Float32Array(n * p);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  labels.forEach((c, i) => {
    for (let j = 0; j < p; j++)
      values[i * p + j] = normal() + (j === c ? 1.5 : 0) - (j === 3 && c === 2 ? 1 : 0);
  });
  return { values, labels };
}

/** Accuracy and mean cross-entropy by hand: logits XW + b, sigmoid or softmax, first argmax. */
function direct(
  samples: L1LogisticSamples,
  coefs: readonly number[],
  intercept: readonly number[],
  p: number,
) {
  const k = intercept.length;
  let correct = 0;
  let loss = 0;
  samples.labels.forEach((label, i) => {
    const z = intercept.map(
      (b, c) =>
        b +
        Array.from(
          { length: p },
          (_, j) => (samples.x[i * p + j] as number) * (coefs[j * k + c] as number),
        ).reduce((a, v) => a + v, 0),
    );
    const probs =
      k === 1
        ? [1 / (1 + Math.exp(z[0] as number)), 1 / (1 + Math.exp(-(z[0] as number)))]
        : z.map((v) => Math.exp(v)).map((e, _, all) => e / all.reduce((a, b) => a + b, 0));
    if (probs.indexOf(Math.max(...probs)) === label) correct++;
    loss -= Math.log(Math.max(probs[label] as number, 1e-12));
  });
  const n = samples.labels.length;
  return { accuracy: correct / n, loss: loss / n };
}

const best = <T extends { devAccuracy: number; devLoss: number }>(candidates: readonly T[]) =>
  candidates.reduce((a, b) =>
    b.devAccuracy > a.devAccuracy || (b.devAccuracy === a.devAccuracy && b.devLoss < a.devLoss)
      ? b
      : a,
  );

describe('the L1-logistic baseline', () => {
  it('keeps the planted informative genes at the dev-chosen α (XOR-like synthetic genes)', () => {
    const p = 100;
    const { values, labels } = xorLikeGenes(300, p, 4, 3);
    const candidates = l1LogisticPath(
      rows(values, labels, p, 0, 180),
      rows(values, labels, p, 180, 240),
      rows(values, labels, p, 240, 300),
      2,
    );
    expect(candidates).toHaveLength(10);
    expect(candidates[0]?.chosen['alphaRatio']).toBe(1);
    expect(candidates[0]?.genes).toEqual([]); // α_max: no gene
    expect(candidates.at(-1)?.chosen['alphaRatio']).toBeCloseTo(1e-2, 12);
    const chosen = best(candidates);
    expect(chosen.devAccuracy).toBeGreaterThan(0.8);
    expect(chosen.genes).toEqual(expect.arrayContaining([0, 1, 2, 3]));
    // the strongest genes are the planted ones
    expect(chosen.genes.slice(0, 4).sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    expect(chosen.genes.length).toBeLessThan(20);
    expect(chosen.weights[0]).toBe(1);
    for (let i = 1; i < chosen.weights.length; i++) {
      expect(chosen.weights[i]).toBeLessThanOrEqual(chosen.weights[i - 1] as number);
      expect(chosen.weights[i]).toBeGreaterThan(0);
    }
    // the path's time, evenly over its points
    expect(new Set(candidates.map((c) => c.seconds)).size).toBe(1);
    expect(candidates[0]?.seconds).toBeGreaterThan(0);
  });

  it('scores dev and test as a direct computation from the same path does, binary and 3 classes', () => {
    const problems = [
      { ...xorLikeGenes(90, 20, 3, 8), p: 20, classes: 2 },
      { ...threeClasses(90, 20, 9), p: 20, classes: 3 },
    ];
    for (const { values, labels, p, classes } of problems) {
      const train = rows(values, labels, p, 0, 54);
      const dev = rows(values, labels, p, 54, 72);
      const test = rows(values, labels, p, 72, 90);
      const candidates = l1LogisticPath(train, dev, test, classes, { alphas: 6 });
      const path = logisticPath({ values: train.x, rows: 54, cols: p }, Array.from(train.labels), {
        nAlphas: 6,
      });
      expect(path.classes).toEqual(Array.from({ length: classes }, (_, c) => c));
      candidates.forEach((candidate, i) => {
        const coefs = path.coefs[i] as number[];
        const intercept = path.intercepts[i] as number[];
        const onDev = direct(dev, coefs, intercept, p);
        const onTest = direct(test, coefs, intercept, p);
        for (const a of [candidate.devAccuracy, candidate.testAccuracy]) {
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThanOrEqual(1);
        }
        expect(candidate.devAccuracy).toBe(onDev.accuracy);
        expect(candidate.testAccuracy).toBe(onTest.accuracy);
        expect(candidate.devLoss).toBeCloseTo(onDev.loss, 9);
        expect(candidate.chosen['alpha']).toBe(path.alphas[i]);
        expect(candidate.genes).toHaveLength(path.nnz[i] as number);
      });
      if (classes === 3) expect(best(candidates).genes).toEqual(expect.arrayContaining([0, 1, 2]));
    }
  });

  it('gives a class missing from the training samples probability 0, and checks shapes', () => {
    const { values, labels } = threeClasses(30, 5, 4);
    const train = rows(values, labels, 5, 0, 30);
    const onlyTwo = {
      x: Float32Array.from(
        Array.from(train.labels).flatMap((l, i) =>
          l === 2 ? [] : [...train.x.slice(i * 5, i * 5 + 5)],
        ),
      ),
      labels: train.labels.filter((l) => l !== 2),
    };
    const candidates = l1LogisticPath(onlyTwo, train, train, 3, { alphas: 3 });
    // the class-2 third of the samples is always wrong, and costs −log 1e-12 each
    for (const c of candidates) {
      expect(c.devAccuracy).toBeLessThanOrEqual(2 / 3);
      expect(c.devLoss).toBeGreaterThan((-Math.log(1e-12) * 10) / 30);
    }
    expect(() =>
      l1LogisticPath(train, { x: new Float32Array(7), labels: new Int32Array(2) }, train, 3),
    ).toThrow('dev has 7 values for 2 labels: expected 2 × 5');
    expect(() =>
      l1LogisticPath({ x: new Float32Array(7), labels: new Int32Array(2) }, train, train, 3),
    ).toThrow('train has 7 values for 2 labels: expected n × features');
  });

  it('an interrupted path keeps the points solved, at least its first', () => {
    const { values, labels } = xorLikeGenes(60, 10, 2, 5);
    const split = rows(values, labels, 10, 0, 60);
    const controller = new AbortController();
    controller.abort();
    const candidates = l1LogisticPath(split, split, split, 2, { signal: controller.signal });
    expect(candidates).toHaveLength(1);
    expect(candidates[0]?.chosen['alphaRatio']).toBe(1);
  });
});
