import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredKernelLayer } from '@spred/layers';

/**
 * The tf.Variables behind a tfjs-layers model's trainable weights, for `@spred/optim`'s
 * optimizers (a `LayerVariable` keeps its value in one `tf.Variable`, which `read()` returns).
 *
 * @example
 * ```ts
 * const optimizer = new GroupedOptimizer({ kind: 'adam', learningRate: 1e-3 }, [{ variables: trainableVariables(model) }]);
 * ```
 */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => variableOf(w));
}

/**
 * The trainable variables of a spred model that the spred penalty does not reach (biases, norms,
 * other layers): what gets the decoupled weight decay.
 */
export function nonFactorVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.layers.flatMap((layer) =>
    layer.trainableWeights
      .filter((w) => !(layer instanceof SpredKernelLayer) || /bias$/.test(w.originalName))
      .map((w) => variableOf(w)),
  );
}

function variableOf(weight: tfl.LayerVariable): tf.Variable {
  const value = weight.read();
  if (!(value instanceof tf.Variable))
    throw new TypeError(`weight ${weight.name} is not backed by a tf.Variable`);
  return value;
}
