import type { TopLevelSpec } from 'vega-lite';
import { facetedLineChart } from './faceted-line-chart.js';

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
  return facetedLineChart({
    title: 'lasso: whole-process time to the accuracy target',
    points,
    facet: { field: 'alpha', title: 'α' },
    color: 'solver',
    x: { field: 'entries', title: 'n · d', scale: 'log', format: '~s' },
    y: { field: 'seconds', title: 'seconds (whole process, median)', scale: 'log' },
  });
}
