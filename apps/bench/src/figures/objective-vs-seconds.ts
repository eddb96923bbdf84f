import type { TopLevelSpec } from 'vega-lite';
import { facetedLineChart } from './faceted-line-chart.js';

/** One scored dictionary: a method's held-out objective after some seconds of training. */
export interface ObjectivePoint {
  readonly seconds: number;
  /** Mean held-out ½‖x − Dc‖² + α‖c‖₁ of the exact encoder. */
  readonly objective: number;
  readonly method: string;
  /** The panel: e.g. 'k = 256'. */
  readonly atoms: string;
}

/**
 * Held-out objective (y) against training seconds (log x), one line per method, one panel per
 * number of atoms: equal-time quality of dictionary learners.
 *
 * @example
 * ```ts
 * await renderVegaLiteSvg(objectiveVsSecondsChart([{ seconds: 30, objective: 41.2, method: 'spred', atoms: 'k = 256' }]));
 * ```
 */
export function objectiveVsSecondsChart(points: readonly ObjectivePoint[]): TopLevelSpec {
  return facetedLineChart({
    title: 'sparse coding: held-out objective at equal wall time (lower is better)',
    points,
    facet: { field: 'atoms', title: 'atoms' },
    color: 'method',
    x: { field: 'seconds', title: 'seconds of training', scale: 'log' },
    y: { field: 'objective', title: 'held-out ½‖x − Dc‖² + α‖c‖₁ (mean)', scale: 'linear-no-zero' },
    independentY: true,
  });
}
