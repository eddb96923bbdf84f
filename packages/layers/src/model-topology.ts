import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** One layer of a model's topology JSON (Keras's: `class_name`, `config`, `inbound_nodes`). */
export interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes?: unknown[];
  [key: string]: unknown;
}

/** A model's topology JSON, as `model.toJSON(null, false)` gives it; edited to build another. */
export interface ModelJson {
  class_name: string;
  config: { layers: LayerJson[]; output_layers?: unknown[][]; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * The topology of `model` as an editable object: the one way spred rewrites a model (spredify,
 * collapse, shrinkModel, a classifier's output activation) is to edit it and build it again with
 * {@link modelFromTopology}.
 *
 * @example
 * ```ts
 * const json = modelTopology(model);
 * json.config.layers[0]!.config['units'] = 8;
 * const smaller = await modelFromTopology(json);
 * ```
 */
export function modelTopology(model: tfl.LayersModel): ModelJson {
  return model.toJSON(null, false) as unknown as ModelJson;
}

/**
 * A new model built from a topology (fresh weights from its initializers); `weights`, when given,
 * are set in the order of `getWeights()`.
 *
 * @example
 * ```ts
 * const copy = await modelFromTopology(modelTopology(model), model.getWeights());
 * ```
 */
export async function modelFromTopology(
  json: ModelJson,
  weights?: readonly tf.Tensor[],
): Promise<tfl.LayersModel> {
  const model = await tfl.models.modelFromJSON({
    modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'],
  } as tf.io.ModelJSON);
  if (weights !== undefined) model.setWeights([...weights]);
  return model;
}
