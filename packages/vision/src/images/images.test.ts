import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { readGrayImage } from './gray-image.js';
import { writeAtomGrid } from './atom-grid.js';

const dir = mkdtempSync(join(tmpdir(), 'spred-img-'));

describe('images', () => {
  it('reads PNG and JPEG as luma in [0, 1]', () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data.set([255, 255, 255, 255, 255, 0, 0, 255]);
    writeFileSync(join(dir, 'a.png'), PNG.sync.write(png));
    const img = readGrayImage(join(dir, 'a.png'));
    expect(img.width).toBe(2);
    expect(img.pixels[0]).toBeCloseTo(1, 6);
    expect(img.pixels[1]).toBeCloseTo(0.299, 6);
    const raw = { width: 8, height: 8, data: Buffer.alloc(8 * 8 * 4, 128) };
    writeFileSync(join(dir, 'b.jpg'), jpeg.encode(raw, 95).data);
    const gray = readGrayImage(join(dir, 'b.jpg'));
    expect(gray.pixels[0]).toBeCloseTo(128 / 255, 1);
  });

  it('gives a clear error for broken or non-image files', () => {
    writeFileSync(join(dir, 'notes.png'), 'just text');
    expect(() => readGrayImage(join(dir, 'notes.png'))).toThrow(
      /notes\.png: not a PNG or JPEG image/,
    );
    const good = readFileSync(join(dir, 'a.png'));
    writeFileSync(join(dir, 'cut.png'), good.subarray(0, 30));
    expect(() => readGrayImage(join(dir, 'cut.png'))).toThrow(/cut\.png: broken PNG file/);
    expect(() => readGrayImage(join(dir, 'missing.png'))).toThrow(/missing\.png: no such file/);
  });

  it('writes atoms as a PNG grid, gray at zero', () => {
    const atoms = Float32Array.from([1, -1, 0, 0, 0, 0, 0, 2]);
    writeAtomGrid(join(dir, 'atoms.png'), atoms, 2, { columns: 2, scale: 1 });
    const png = PNG.sync.read(readFileSync(join(dir, 'atoms.png')));
    expect([png.width, png.height]).toEqual([7, 4]);
    const at = (x: number, y: number) => png.data[4 * (y * png.width + x)];
    expect(at(1, 1)).toBe(255); // +max of atom 0
    expect(at(2, 1)).toBe(0); // −max of atom 0
    expect(at(1, 2)).toBe(128); // zero
  });
});
