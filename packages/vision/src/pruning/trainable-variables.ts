import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredKernelLayer } from '@spredjs/layers';

/**
 * The tf.Variables behind a tfjs-layers model's trainable weights, for `@spredjs/optim`'s
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

/**
 * Each spred layer's factors U and W with the coupled L2 coefficient 2κ that stands for its
 * penalty κ(‖U‖² + ‖W‖²): what `GroupedOptimizer`'s `l2` folds into the optimizer's step.
 */
export function spredFactors(
  model: tfl.LayersModel,
): { layer: SpredKernelLayer; variables: tf.Variable[]; l2: number }[] {
  return model.layers
    .filter((layer): layer is SpredKernelLayer => layer instanceof SpredKernelLayer)
    .map((layer) => ({
      layer,
      variables: layer.trainableWeights
        .filter((w) => !/bias$/.test(w.originalName))
        .map((w) => variableOf(w)),
      l2: 2 * layer.kappa,
    }))
    .filter((f) => f.variables.length > 0);
}

function variableOf(weight: tfl.LayerVariable): tf.Variable {
  const value = weight.read();
  if (!(value instanceof tf.Variable))
    throw new TypeError(`weight ${weight.name} is not backed by a tf.Variable`);
  return value;
}
