import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { SpredInputError } from '@spredjs/core';

/**
 * Writes dictionary atoms (each a `size`×`size` patch, row-major, atoms one after another) as a
 * PNG grid, each atom scaled to its own [−max|a|, max|a|] range (gray = 0), with a 1-pixel border.
 * `columns` defaults to ⌈√k⌉; `scale` enlarges every pixel.
 */
export function writeAtomGrid(
  path: string,
  atoms: Float32Array | Float64Array,
  size: number,
  options: { columns?: number; scale?: number } = {},
): void {
  const area = size * size;
  if (atoms.length % area !== 0)
    throw new SpredInputError(
      `atoms has ${atoms.length} values, not a multiple of ${size}×${size}`,
    );
  const k = atoms.length / area;
  const columns = options.columns ?? Math.ceil(Math.sqrt(k));
  const rows = Math.ceil(k / columns);
  const scale = options.scale ?? 3;
  const cell = size * scale + 1;
  const png = new PNG({ width: columns * cell + 1, height: rows * cell + 1 });
  png.data.fill(40);
  for (let a = 0; a < k; a++) {
    let max = 0;
    for (let p = 0; p < area; p++) max = Math.max(max, Math.abs(atoms[a * area + p] as number));
    const x0 = (a % columns) * cell + 1;
    const y0 = Math.floor(a / columns) * cell + 1;
    for (let py = 0; py < size * scale; py++) {
      for (let px = 0; px < size * scale; px++) {
        const v = atoms[
          a * area + Math.floor(py / scale) * size + Math.floor(px / scale)
        ] as number;
        const gray = Math.round(127.5 + (max === 0 ? 0 : (127.5 * v) / max));
        const o = 4 * ((y0 + py) * png.width + x0 + px);
        png.data[o] = gray;
        png.data[o + 1] = gray;
        png.data[o + 2] = gray;
      }
    }
  }
  for (let o = 3; o < png.data.length; o += 4) png.data[o] = 255;
  writeFileSync(path, PNG.sync.write(png));
}
