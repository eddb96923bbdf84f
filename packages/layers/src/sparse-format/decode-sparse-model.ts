import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelAndWeightsConfig } from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import {
  checkSparseModel,
  decodeTensor,
  firstLine,
  printable,
  type CheckedTensor,
} from './check-sparse-model.js';
import { SPARSE_MODEL_JSON_FILE, type SparseModelFiles } from './sparse-model-json.js';

const showShape = (shape: readonly (number | null)[]) => `[${shape.join(', ')}]`;

const sameShape = (a: readonly number[], b: readonly (number | null)[]) =>
  a.length === b.length && a.every((extent, d) => extent === b[d]);

/**
 * Rebuilds the tfjs-layers model a compact sparse model holds (see {@link encodeSparseModel}):
 * an ordinary `tfl.LayersModel`, its weights decoded into place (exact zeros where nothing is
 * stored). The file is checked first, reading only the bytes it has: a truncated or corrupted
 * weights file, a header promising more than the file holds, or weights that are not the ones
 * the topology's model has (names, shapes) are refused with a one-line `SpredInputError` naming
 * the file, the tensor and what is wrong, before anything of a promised size is allocated. Every
 * decoded weight is finite. Custom layers (e.g. `SpredDense`) must be registered, as for
 * `tf.loadLayersModel`: importing `@spredjs/layers` registers spred's.
 *
 * @example
 * ```ts
 * const files = await encodeSparseModel(model, { values: 'float32' });
 * const copy = await decodeSparseModel(files);
 * copy.predict(x); // what model.predict(x) gives
 * ```
 */
export async function decodeSparseModel(files: SparseModelFiles): Promise<tfl.LayersModel> {
  const checked = checkSparseModel(files.json, files.weights);
  let model: tfl.LayersModel;
  try {
    model = await tfl.models.modelFromJSON({
      modelTopology: checked.modelTopology as ModelAndWeightsConfig['modelTopology'],
    });
  } catch (error) {
    throw new SpredInputError(
      `${SPARSE_MODEL_JSON_FILE}: modelTopology does not build a tfjs-layers model: ${firstLine(error)}`,
    );
  }
  try {
    // Every weight the topology's model has must be in the file, with its shape, and nothing else:
    // checked before any tensor of the file's sizes is allocated.
    const byName = new Map<string, CheckedTensor>(checked.tensors.map((t) => [t.name, t]));
    const mismatch = (message: string) =>
      new SpredInputError(`${SPARSE_MODEL_JSON_FILE}: ${message}`);
    const pairs = model.weights.map((variable) => {
      const name = printable(variable.originalName);
      const tensor = byName.get(variable.originalName);
      if (tensor === undefined) {
        throw mismatch(`the topology's model has weight ${name}, which the file does not hold`);
      }
      if (!sameShape(tensor.shape, variable.shape)) {
        throw mismatch(
          `tensor ${name}: shape ${showShape(tensor.shape)}, the topology's model expects ${showShape(variable.shape)}`,
        );
      }
      byName.delete(variable.originalName);
      return { variable, tensor };
    });
    const [extra] = byName.keys();
    if (extra !== undefined)
      throw mismatch(`tensor ${printable(extra)} is not a weight of the topology's model`);
    // One weight at a time, so at most one decoded copy exists beside the model.
    for (const { variable, tensor } of pairs) {
      const values = new Float32Array(tensor.size);
      decodeTensor(checked, tensor, values);
      const value = tf.tensor(values, [...tensor.shape], 'float32');
      try {
        variable.write(value);
      } finally {
        value.dispose();
      }
    }
  } catch (error) {
    model.dispose();
    if (error instanceof SpredInputError) throw error;
    throw new SpredInputError(
      `${SPARSE_MODEL_JSON_FILE}: the weights do not load into the model: ${firstLine(error)}`,
    );
  }
  return model;
}
