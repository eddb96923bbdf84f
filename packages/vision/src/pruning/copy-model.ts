import type * as tfl from '@tensorflow/tfjs-layers';
import { modelFromTopology, modelTopology } from '@spredjs/layers';

/** An independent copy of a model: same topology (through its JSON) and the same weight values. */
export async function copyModel(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  return modelFromTopology(modelTopology(model), model.getWeights());
}
