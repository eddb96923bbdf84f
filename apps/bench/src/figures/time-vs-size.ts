import type { TopLevelSpec } from 'vega-lite';

/** One timed answer: a solver at one problem size and penalty level. */
export interface TimePoint {
  /** n · d. */
  readonly entries: number;
  readonly seconds: number;
  readonly solver: string;
  /** The panel: e.g. '0.1·α_max'. */
  readonly alpha: string;
}

/**
 * Whole-process time (log y) against problem size n·d (log x), one line per solver, one panel per
 * α.
 *
 * @example
 * ```ts
 * await renderVegaLiteSvg(timeVsSizeChart([{ entries: 2e5, seconds: 1.2, solver: 'spred', alpha: '0.1·α_max' }]));
 * ```
 */
export function timeVsSizeChart(points: readonly TimePoint[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'lasso: whole-process time to the accuracy target',
    data: { values: points.map((p) => ({ ...p })) },
    facet: { column: { field: 'alpha', type: 'nominal', title: 'α' } },
    spec: {
      width: 300,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'entries',
          type: 'quantitative',
          scale: { type: 'log' },
          axis: { format: '~s' },
          title: 'n · d',
        },
        y: {
          field: 'seconds',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'seconds (whole process, median)',
        },
        color: { field: 'solver', type: 'nominal' },
      },
    },
  };
}
