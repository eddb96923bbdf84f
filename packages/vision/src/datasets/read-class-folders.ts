import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SpredInputError } from '@spredjs/core';
import { decodeImage, luma } from '../images/decode-image.js';
import type { ImageDataset } from './idx.js';

/** A labelled image set read from one subfolder per class. */
export interface ClassFolders {
  /** The images (N × height × width × channels, 8-bit) and their class indices. */
  readonly dataset: ImageDataset;
  /** The class names: the subfolders, sorted; label k is `classes[k]`. */
  readonly classes: readonly string[];
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/**
 * Reads an image classification set laid out as one subfolder per class (`dir/cat/001.png`,
 * `dir/dog/…`, the layout of Keras's `image_dataset_from_directory` and torchvision's
 * `ImageFolder`): classes are the subfolders in sorted order, images the `.png`/`.jpg`/`.jpeg`
 * files in each (PNG or JPEG by content), in sorted order. Every image must have the size of the
 * first; `channels` 3 keeps R, G, B, 1 takes the BT.601 luma (rounded to 8 bits). Errors name the
 * folder or file: a missing folder, fewer than two classes, an empty class, an image of another
 * size, a broken image.
 *
 * @example
 * ```ts
 * const { dataset, classes } = readClassFolders('photos/', { channels: 3 });
 * ```
 */
export function readClassFolders(dir: string, options: { channels: 1 | 3 }): ClassFolders {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    throw new SpredInputError(`${dir}: no such folder`);
  }
  const classes = entries.filter((name) => statSync(join(dir, name)).isDirectory());
  if (classes.length < 2)
    throw new SpredInputError(
      `${dir}: ${classes.length} class subfolder${classes.length === 1 ? '' : 's'}; a classifier needs one subfolder per class, two or more`,
    );
  if (classes.length > 256)
    throw new SpredInputError(`${dir}: ${classes.length} classes; at most 256 are supported`);
  const files = classes.map((name) => {
    const images = readdirSync(join(dir, name))
      .filter((f) => IMAGE_FILE.test(f))
      .sort()
      .map((f) => join(dir, name, f));
    if (images.length === 0)
      throw new SpredInputError(`${join(dir, name)}: no .png or .jpg image in this class folder`);
    return images;
  });
  const count = files.reduce((n, f) => n + f.length, 0);
  const first = decodeImage(files[0]?.[0] as string);
  const { width, height } = first;
  const { channels } = options;
  const size = width * height * channels;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  let i = 0;
  files.forEach((paths, label) => {
    for (const path of paths) {
      const image = i === 0 ? first : decodeImage(path);
      if (image.width !== width || image.height !== height)
        throw new SpredInputError(
          `${path}: ${image.width} × ${image.height} pixels, but ${files[0]?.[0]} has ${width} × ${height}: every image must have one size`,
        );
      const out = images.subarray(i * size, (i + 1) * size);
      const { rgba } = image;
      for (let p = 0; p < width * height; p++) {
        if (channels === 1) out[p] = Math.round(luma(rgba, p));
        else for (let k = 0; k < 3; k++) out[3 * p + k] = rgba[4 * p + k] as number;
      }
      labels[i++] = label;
    }
  });
  return { dataset: { images, labels, count, height, width, channels }, classes };
}
