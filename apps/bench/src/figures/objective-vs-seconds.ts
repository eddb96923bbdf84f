import type { TopLevelSpec } from 'vega-lite';

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
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'sparse coding: held-out objective at equal wall time (lower is better)',
    data: { values: points.map((p) => ({ ...p })) },
    facet: { column: { field: 'atoms', type: 'nominal', title: 'atoms' } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 300,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'seconds',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'seconds of training',
        },
        y: {
          field: 'objective',
          type: 'quantitative',
          scale: { zero: false },
          title: 'held-out ½‖x − Dc‖² + α‖c‖₁ (mean)',
        },
        color: { field: 'method', type: 'nominal' },
      },
    },
  };
}
