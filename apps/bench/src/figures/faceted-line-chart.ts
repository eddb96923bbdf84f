import type { TopLevelSpec } from 'vega-lite';

/** One axis of {@link facetedLineChart}: a field, its title, and a log or zero-free scale. */
export interface ChartAxis {
  readonly field: string;
  readonly title: string;
  readonly scale: 'log' | 'linear-no-zero';
  /** d3 format of the tick labels (e.g. '~s'). */
  readonly format?: string;
}

/**
 * Lines with points, one per value of `color`, one panel per value of `facet`: the bench's
 * figures (time against size, objective against seconds) differ only in these fields.
 *
 * @example
 * ```ts
 * facetedLineChart({ title: 't', points, facet: { field: 'alpha', title: 'α' }, color: 'solver',
 *   x: { field: 'entries', title: 'n · d', scale: 'log' }, y: { field: 'seconds', title: 's', scale: 'log' } });
 * ```
 */
export function facetedLineChart(spec: {
  readonly title: string;
  readonly points: readonly object[];
  readonly facet: { readonly field: string; readonly title: string };
  readonly color: string;
  readonly x: ChartAxis;
  readonly y: ChartAxis;
  /** Each panel its own y scale. Default false. */
  readonly independentY?: boolean;
}): TopLevelSpec {
  const axis = (a: ChartAxis) => ({
    field: a.field,
    type: 'quantitative' as const,
    scale: a.scale === 'log' ? { type: 'log' as const } : { zero: false },
    title: a.title,
    ...(a.format !== undefined ? { axis: { format: a.format } } : {}),
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: spec.title,
    data: { values: spec.points.map((p) => ({ ...p })) },
    facet: { column: { field: spec.facet.field, type: 'nominal', title: spec.facet.title } },
    ...(spec.independentY === true ? { resolve: { scale: { y: 'independent' } } } : {}),
    spec: {
      width: 300,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: axis(spec.x),
        y: axis(spec.y),
        color: { field: spec.color, type: 'nominal' },
      },
    },
  };
}
