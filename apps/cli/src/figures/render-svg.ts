import { writeFileSync } from 'node:fs';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Renders a Vega-Lite specification to SVG headlessly (no canvas) and writes it to `path`. */
export async function writeVegaLiteSvg(path: string, spec: TopLevelSpec): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    writeFileSync(path, await view.toSVG());
  } finally {
    view.finalize();
  }
}
