import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readClassFolders } from './read-class-folders.js';

/** A PNG of `width` × `height` whose pixel p is (r, g, b) = (p, 2p, 3p) + offset. */
function png(width: number, height: number, offset: number): Buffer {
  const image = new PNG({ width, height });
  for (let p = 0; p < width * height; p++)
    image.data.set([p + offset, 2 * p + offset, 3 * p + offset, 255], 4 * p);
  return PNG.sync.write(image);
}

function folder(layout: Record<string, Record<string, Buffer>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'spred-classes-'));
  for (const [name, files] of Object.entries(layout)) {
    mkdirSync(join(dir, name));
    for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, name, file), bytes);
  }
  return dir;
}

describe('readClassFolders', () => {
  it('reads one subfolder per class, sorted, RGB or luma', () => {
    const dir = folder({
      dog: { '2.png': png(3, 2, 20), '1.png': png(3, 2, 10) },
      cat: { 'a.png': png(3, 2, 0), 'notes.txt': Buffer.from('not an image') },
    });
    const { dataset, classes } = readClassFolders(dir, { channels: 3 });
    expect(classes).toEqual(['cat', 'dog']);
    expect(dataset).toMatchObject({ count: 3, height: 2, width: 3, channels: 3 });
    expect(Array.from(dataset.labels)).toEqual([0, 1, 1]);
    // image 1 is dog/1.png (offset 10): pixel 1 is (11, 12, 13)
    expect(Array.from(dataset.images.subarray(18 + 3, 18 + 6))).toEqual([11, 12, 13]);
    const gray = readClassFolders(dir, { channels: 1 });
    expect(gray.dataset.channels).toBe(1);
    // luma of (p, 2p, 3p) at p = 5 of cat/a.png: 0.299·5 + 0.587·10 + 0.114·15 = 9.075 → 9
    expect(gray.dataset.images[5]).toBe(9);
  });

  it('reads JPEG files by their content', () => {
    const rgba = new Uint8Array(4 * 4 * 4).fill(128);
    const jpg = jpeg.encode({ data: rgba, width: 4, height: 4 }, 100).data;
    const dir = folder({ a: { 'x.jpg': Buffer.from(jpg) }, b: { 'y.JPEG': Buffer.from(jpg) } });
    const { dataset } = readClassFolders(dir, { channels: 1 });
    expect(dataset.count).toBe(2);
    for (const v of dataset.images) expect(Math.abs(v - 128)).toBeLessThanOrEqual(2);
  });

  it('refuses what it cannot read, naming the folder or file', () => {
    expect(() => readClassFolders(join(tmpdir(), 'no-such-spred-folder'), { channels: 1 })).toThrow(
      /no-such-spred-folder: no such folder/,
    );
    const one = folder({ only: { 'a.png': png(2, 2, 0) } });
    expect(() => readClassFolders(one, { channels: 1 })).toThrow(
      /1 class subfolder; a classifier needs/,
    );
    const empty = folder({ a: { 'a.png': png(2, 2, 0) }, b: {} });
    expect(() => readClassFolders(empty, { channels: 1 })).toThrow(
      /b: no \.png or \.jpg image in this class folder/,
    );
    const sizes = folder({ a: { 'a.png': png(2, 2, 0) }, b: { 'b.png': png(3, 2, 0) } });
    expect(() => readClassFolders(sizes, { channels: 1 })).toThrow(
      /b\.png: 3 × 2 pixels, but .*a\.png has 2 × 2: every image must have one size/,
    );
    const broken = folder({
      a: { 'a.png': png(2, 2, 0) },
      b: { 'b.png': png(2, 2, 0).subarray(0, 40) },
    });
    expect(() => readClassFolders(broken, { channels: 1 })).toThrow(/b\.png: broken PNG file/);
  });
});
