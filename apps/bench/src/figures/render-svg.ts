import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite specification to an SVG string headlessly (no canvas), as `spred`'s figures
 * are rendered (apps/cli/src/figures/render-svg.ts; the CLI does not export its helper).
 *
 * @example
 * ```ts
 * writeFileSync('chart.svg', await renderVegaLiteSvg(spec));
 * ```
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
