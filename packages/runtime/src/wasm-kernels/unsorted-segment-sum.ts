import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Segment sums for the wasm backend, which lacks them (they are the gradient of `gather`, used by
 * explicit index groups). out[s, ...] = Σ_{i: ids[i] = s} x[i, ...]; ids outside [0, numSegments)
 * are dropped, as in TensorFlow. Runs in JS over the wasm heap: the data never leaves the process.
 */
export const unsortedSegmentSumWasm: tf.KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const idCount = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const values =
    x.dtype === 'int32'
      ? new Int32Array(numSegments * inner)
      : new Float32Array(numSegments * inner);
  for (let i = 0; i < idCount; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++)
      values[dst + j] = (values[dst + j] as number) + (xs[src + j] as number);
  }
  return backend.makeOutput(outShape, x.dtype, undefined, values);
};
