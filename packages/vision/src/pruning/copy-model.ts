import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** An independent copy of a model: same topology (through its JSON) and the same weight values. */
export async function copyModel(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  const copy = await tfl.models.modelFromJSON({
    modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'],
  } as tf.io.ModelJSON);
  const weights = model.getWeights();
  copy.setWeights(weights);
  return copy;
}
