import { basename, dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeAtomic } from '../output/output-folder.js';

/**
 * Renders a Vega-Lite specification to SVG headlessly (no canvas) and writes it to `path` (atomically). Vega and
 * Vega-Lite load on the first call: they take a third of a second, which a command that draws
 * nothing (or `--help`) should not pay.
 */
export async function writeVegaLiteSvg(path: string, spec: TopLevelSpec): Promise<void> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    writeAtomic(dirname(path), basename(path), await view.toSVG());
  } finally {
    view.finalize();
  }
}
