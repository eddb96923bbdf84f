import { SpredInputError } from '@spredjs/core';
import { readBytes } from '@spredjs/io';

/** An IDX array (the MNIST format): its dimensions and its unsigned bytes. */
export interface IdxArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Reads an IDX file of unsigned bytes (MNIST, Fashion-MNIST: `*-idx3-ubyte` images, `*-idx1-ubyte`
 * labels), gzipped or not. The big-endian header is two zero bytes, the type byte 0x08 (ubyte), the
 * number of dimensions, then each dimension as a 32-bit integer. A wrong magic number or a file
 * shorter than its header promises is an error naming the file.
 */
export function readIdx(path: string): IdxArray {
  const bytes = readBytes(path);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0)
    throw new SpredInputError(`${path}: not an IDX file (bad magic number)`);
  if (bytes[2] !== 0x08)
    throw new SpredInputError(
      `${path}: IDX element type 0x${(bytes[2] as number).toString(16)} is not supported (unsigned bytes, 0x08, only)`,
    );
  const rank = bytes[3] as number;
  if (rank < 1 || bytes.length < 4 + 4 * rank)
    throw new SpredInputError(`${path}: truncated IDX header`);
  const shape = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  const offset = 4 + 4 * rank;
  if (bytes.length - offset < size) {
    throw new SpredInputError(
      `${path}: truncated: the header promises ${shape.join(' × ')} = ${size} bytes of data, the file has ${bytes.length - offset}`,
    );
  }
  return { shape, data: new Uint8Array(bytes.buffer, bytes.byteOffset + offset, size) };
}

/** An image classification set: N images (row-major pixels, channels last) and their labels. */
export interface ImageDataset {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Reads a pair of IDX files (images N × H × W, labels N) as one data set, checking that they agree. */
export function readIdxDataset(imagesPath: string, labelsPath: string): ImageDataset {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.shape.length !== 3)
    throw new SpredInputError(
      `${imagesPath}: expected N × height × width images, got shape ${images.shape.join(' × ')}`,
    );
  if (labels.shape.length !== 1)
    throw new SpredInputError(
      `${labelsPath}: expected one label per image, got shape ${labels.shape.join(' × ')}`,
    );
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count)
    throw new SpredInputError(
      `${imagesPath} has ${count} images but ${labelsPath} has ${labels.shape[0]} labels`,
    );
  return { images: images.data, labels: labels.data, count, height, width, channels: 1 };
}

/**
 * Encodes unsigned bytes as an IDX file (the inverse of {@link readIdx}): e.g. to save a subset of
 * MNIST, or to write test fixtures.
 */
export function encodeIdx(shape: readonly number[], data: ArrayLike<number>): Buffer {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size)
    throw new SpredInputError(
      `IDX shape ${shape.join(' × ')} needs ${size} bytes, got ${data.length}`,
    );
  const header = Buffer.alloc(4 + 4 * shape.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(shape.length, 3);
  shape.forEach((s, i) => header.writeUInt32BE(s, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(data))]);
}
