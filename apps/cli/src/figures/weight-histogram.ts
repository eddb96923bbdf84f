import type { TopLevelSpec } from 'vega-lite';

/** Counts of several weight arrays in the same bins (long form: one row per series and bin). */
export interface WeightHistogram {
  /** The layer the weights come from. */
  readonly layer: string;
  /** Width of every bin; the bins are symmetric about 0 and the middle one is centred on it. */
  readonly binWidth: number;
  readonly rows: readonly { series: string; center: number; count: number }[];
}

/**
 * Histograms of several weight arrays over one set of `bins` (odd) equal bins spanning
 * ±max|w| of all of them, the middle bin centred on 0: so "the mass at zero" of each series is
 * the count of the row with `center` 0.
 *
 * @example
 * ```ts
 * const h = weightHistogram('dense_Dense1', { spred: spredWeights, dense: denseWeights });
 * h.rows.filter((r) => r.center === 0); // each series' weights near zero
 * ```
 */
export function weightHistogram(
  layer: string,
  series: Readonly<Record<string, ArrayLike<number>>>,
  bins = 61,
): WeightHistogram {
  const odd = bins % 2 === 1 ? bins : bins + 1;
  let largest = 0;
  for (const values of Object.values(series))
    for (let i = 0; i < values.length; i++)
      largest = Math.max(largest, Math.abs(values[i] as number));
  const binWidth = (2 * (largest > 0 ? largest : 1)) / odd;
  const middle = (odd - 1) / 2;
  const rows = Object.entries(series).flatMap(([name, values]) => {
    const counts = new Array<number>(odd).fill(0);
    for (let i = 0; i < values.length; i++) {
      const bin = Math.floor((values[i] as number) / binWidth + odd / 2);
      const at = Math.min(odd - 1, Math.max(0, bin));
      counts[at] = (counts[at] as number) + 1;
    }
    // `+ 0` turns the middle bin's −0 into 0.
    return counts.map((count, i) => ({ series: name, center: (i - middle) * binWidth + 0, count }));
  });
  return { layer, binWidth, rows };
}

/**
 * The distribution of one layer's weights for several trainings on one chart (the paper's
 * Figure 5, left): a step line per series, counts on a symlog axis so that empty bins sit at 0
 * instead of breaking a log scale.
 */
export function weightHistogramChart(title: string, histogram: WeightHistogram): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 460,
    height: 280,
    data: { values: histogram.rows.map((r) => ({ ...r })) },
    mark: { type: 'line', interpolate: 'step' },
    encoding: {
      x: { field: 'center', type: 'quantitative', title: `weight of ${histogram.layer}` },
      y: {
        field: 'count',
        type: 'quantitative',
        scale: { type: 'symlog' },
        title: 'weights in bin (symlog)',
      },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}
