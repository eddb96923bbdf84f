import type { TopLevelSpec } from 'vega-lite';

/** Several series over one x: one small chart per series, stacked, each with its own y scale. */
export function seriesChart(
  title: string,
  rows: readonly Record<string, number>[],
  x: string,
  series: readonly string[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: {
      values: rows.flatMap((r) => series.map((s) => ({ [x]: r[x], series: s, value: r[s] }))),
    },
    facet: { row: { field: 'series', type: 'nominal', title: null } },
    spec: {
      width: 420,
      height: 120,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: x, type: 'quantitative' },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Coefficient paths against α (log scale, decreasing to the right), one line per feature. */
export function pathChart(
  alphas: readonly number[],
  coefs: readonly (readonly number[])[],
  names: readonly string[],
  maxFeatures = 40,
): TopLevelSpec {
  const size = (j: number) => Math.max(...coefs.map((c) => Math.abs(c[j] as number)));
  const shown = names
    .map((_, j) => j)
    .filter((j) => size(j) > 0)
    .sort((a, b) => size(b) - size(a))
    .slice(0, maxFeatures);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Regularization path (${shown.length} largest features)`,
    width: 520,
    height: 320,
    data: {
      values: alphas.flatMap((alpha, i) =>
        shown.map((j) => ({ alpha, feature: names[j], coef: coefs[i]?.[j] })),
      ),
    },
    mark: 'line',
    encoding: {
      x: {
        field: 'alpha',
        type: 'quantitative',
        scale: { type: 'log', reverse: true },
        title: 'α',
      },
      y: { field: 'coef', type: 'quantitative', title: 'coefficient' },
      color: { field: 'feature', type: 'nominal', legend: shown.length <= 12 ? {} : null },
    },
  };
}

/** One series against a log-scaled x. */
export function logXChart(
  title: string,
  rows: readonly Record<string, number>[],
  x: string,
  y: string,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 260,
    data: { values: [...rows] },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: x, type: 'quantitative', scale: { type: 'log' } },
      y: { field: y, type: 'quantitative' },
    },
  };
}

/** Points and a fitted line y = slope·x + intercept. */
export function scatterWithLineChart(
  title: string,
  rows: readonly Record<string, number>[],
  x: string,
  y: string,
  line: { slope: number; intercept: number },
): TopLevelSpec {
  const xs = rows.map((r) => r[x] as number);
  const ends = [Math.min(...xs), Math.max(...xs)].map((v) => ({
    [x]: v,
    [y]: line.slope * v + line.intercept,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 260,
    layer: [
      {
        data: { values: [...rows] },
        mark: { type: 'point', filled: true },
        encoding: { x: { field: x, type: 'quantitative' }, y: { field: y, type: 'quantitative' } },
      },
      {
        data: { values: ends },
        mark: { type: 'line', strokeDash: [4, 3] },
        encoding: { x: { field: x, type: 'quantitative' }, y: { field: y, type: 'quantitative' } },
      },
    ],
  };
}

/** Mean test accuracy per method with ±1 sd error bars, and a rule at the majority-class rate. */
export function accuracyChart(
  rows: readonly { method: string; mean: number; sd: number }[],
  majority: number,
): TopLevelSpec {
  const values = rows.map((r) => ({ ...r, low: r.mean - r.sd, high: r.mean + r.sd }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Test accuracy (mean ± sd over repeats; dashed: majority class)',
    width: 420,
    height: 220,
    layer: [
      {
        data: { values },
        mark: 'bar',
        encoding: {
          x: { field: 'method', type: 'nominal', sort: null, title: null },
          y: {
            field: 'mean',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            title: 'accuracy',
          },
        },
      },
      {
        data: { values },
        mark: 'errorbar',
        encoding: {
          x: { field: 'method', type: 'nominal', sort: null },
          y: { field: 'low', type: 'quantitative' },
          y2: { field: 'high' },
        },
      },
      {
        data: { values: [{ majority }] },
        mark: { type: 'rule', strokeDash: [4, 4] },
        encoding: { y: { field: 'majority', type: 'quantitative' } },
      },
    ],
  };
}

/** Weight profile of the top-ranked genes: bars of weight, in rank order. */
export function geneWeightChart(
  title: string,
  genes: readonly { gene: string; weight: number; frequency: number }[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 520,
    height: 220,
    data: { values: genes.map((g, i) => ({ ...g, rank: `${i + 1}. ${g.gene}` })) },
    mark: 'bar',
    encoding: {
      x: { field: 'rank', type: 'nominal', sort: null, title: null, axis: { labelAngle: -60 } },
      y: { field: 'weight', type: 'quantitative', title: 'mean weight (top = 1)' },
      color: {
        field: 'frequency',
        type: 'quantitative',
        title: 'selected in',
        scale: { domain: [0, 1] },
        legend: { format: '.0%' },
      },
    },
  };
}

/** Accuracy against compression ratio (log x), one line per pruning method. */
export function compressionChart(
  title: string,
  points: readonly { method: string; compression: number; accuracy: number }[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 460,
    height: 280,
    data: {
      values: points
        .filter((p) => Number.isFinite(p.compression))
        .map((p) => ({ method: p.method, compression: p.compression, accuracy: p.accuracy })),
    },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'compression',
        type: 'quantitative',
        scale: { type: 'log' },
        title: 'compression ratio (total / remaining weights)',
      },
      y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy' },
      color: { field: 'method', type: 'nominal' },
      order: { field: 'compression', type: 'quantitative' },
    },
  };
}

/**
 * The accuracy–compression Pareto front over κ: every point faint, one line per method through its
 * non-dominated points, and the dense (unpruned, plainly trained) model's accuracy as a dashed rule.
 * `spred prune --kappas` draws front.svg with it, and the bench's `prune` suite one per model.
 *
 * @example
 * ```ts
 * const front = await pruningFront(options);
 * const dense = front.points.find((p) => p.method !== 'spred' && p.threshold === null);
 * await writeVegaLiteSvg('front.svg', frontChart('mlp: front', front.points, front.fronts, dense?.accuracy));
 * ```
 */
export function frontChart(
  title: string,
  points: readonly { method: string; compression: number; accuracy: number }[],
  fronts: Readonly<Partial<Record<string, readonly { compression: number; accuracy: number }[]>>>,
  denseAccuracy: number | undefined,
): TopLevelSpec {
  const shown = (p: { compression: number }) => Number.isFinite(p.compression) && p.compression > 0;
  const x = {
    field: 'compression',
    type: 'quantitative',
    scale: { type: 'log' },
    title: 'compression ratio (total / remaining weights)',
  } as const;
  const y = {
    field: 'accuracy',
    type: 'quantitative',
    title: 'test accuracy',
    scale: { zero: false },
  } as const;
  const color = { field: 'method', type: 'nominal' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: denseAccuracy === undefined ? title : `${title} (dashed: dense model)`,
    width: 460,
    height: 280,
    layer: [
      {
        data: {
          values: points
            .filter(shown)
            .map((p) => ({ method: p.method, compression: p.compression, accuracy: p.accuracy })),
        },
        mark: { type: 'point', opacity: 0.35 },
        encoding: { x, y, color },
      },
      {
        data: {
          values: Object.entries(fronts).flatMap(([method, front]) =>
            (front ?? [])
              .filter(shown)
              .map((p) => ({ method, compression: p.compression, accuracy: p.accuracy })),
          ),
        },
        mark: { type: 'line', point: { filled: true } },
        encoding: { x, y, color, order: { field: 'compression', type: 'quantitative' } },
      },
      ...(denseAccuracy === undefined
        ? []
        : [
            {
              data: { values: [{ accuracy: denseAccuracy }] },
              mark: { type: 'rule' as const, strokeDash: [4, 3], color: 'gray' },
              encoding: { y: { field: 'accuracy', type: 'quantitative' as const } },
            },
          ]),
    ],
  };
}
