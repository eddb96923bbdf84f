import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import { modelFromTopology, modelTopology, type LayerJson, type ModelJson } from '@spredjs/layers';
import { prunableKernels } from './masks.js';

/** What a classifier ends in: the function of its logits that its outputs are. */
export type OutputActivation = 'softmax' | 'linear';

/** A user's classifier as the pruning protocol trains it: logits out. */
export interface LogitsClassifier {
  /** A new model, the user's with its final softmax removed; the same weights. */
  readonly model: tfl.LayersModel;
  /** The user's model's output: 'softmax' (probabilities) or 'linear' (already logits). */
  readonly outputActivation: OutputActivation;
  /** Input shape of one sample (without the batch axis). */
  readonly inputShape: readonly number[];
  /** The number of classes: the width of the model's output. */
  readonly classes: number;
}

/** The output layer's JSON (a functional model must have exactly one output). */
function outputLayer(json: ModelJson): LayerJson {
  const { layers } = json.config;
  if (json.class_name === 'Sequential') {
    const last = layers.at(-1);
    if (last === undefined) throw new SpredInputError('the model has no layers');
    return last;
  }
  const outputs = json.config.output_layers ?? [];
  if (outputs.length !== 1)
    throw new SpredInputError(
      `the model has ${outputs.length} outputs; spred prune trains a classifier with one`,
    );
  const name = outputs[0]?.[0];
  const layer = layers.find((l) => l.config['name'] === name);
  if (layer === undefined)
    throw new SpredInputError(`the model's output layer ${String(name)} is missing`);
  return layer;
}

/** Whether a layer is a softmax on its own (an Activation('softmax') or a Softmax layer). */
function isSoftmaxLayer(layer: LayerJson): boolean {
  return (
    layer.class_name === 'Softmax' ||
    (layer.class_name === 'Activation' && layer.config['activation'] === 'softmax')
  );
}

/** Removes a functional model's output layer, making the layer feeding it the output. */
function dropFunctionalOutput(json: ModelJson, layer: LayerJson): void {
  const node = (layer.inbound_nodes?.[0] ?? []) as unknown[][];
  const inbound = node[0];
  if (node.length !== 1 || inbound === undefined)
    throw new SpredInputError(
      `the output layer ${String(layer.config['name'])} has ${node.length} inputs`,
    );
  json.config.layers = json.config.layers.filter((l) => l !== layer);
  json.config.output_layers = [[inbound[0], inbound[1], inbound[2]]];
}

/**
 * A user's tfjs-layers classifier in the form the pruning protocol trains (softmax cross-entropy
 * on logits): a final softmax — the output layer's own `activation: 'softmax'`, or an
 * `Activation('softmax')` / `Softmax` layer at the end — is removed, a linear output is taken as
 * logits. Refused with a one-line `SpredInputError`: several outputs, another output activation
 * (sigmoid, relu, …), several inputs, no Dense or Conv2D kernel to prune, spred layers already in
 * it. {@link withOutputActivation} puts the softmax back for export. The given model is not
 * changed.
 *
 * @example
 * ```ts
 * const user = await loadModel('my-model/model.json'); // from @spredjs/io
 * const { model, outputActivation, classes } = await logitsClassifier(user);
 * ```
 */
export async function logitsClassifier(model: tfl.LayersModel): Promise<LogitsClassifier> {
  if (model.inputs.length !== 1)
    throw new SpredInputError(`the model has ${model.inputs.length} inputs; spred prune needs one`);
  const json = modelTopology(model);
  const spred = json.config.layers.find((l) => l.class_name.startsWith('Spred'));
  if (spred !== undefined)
    throw new SpredInputError(
      `the model already has spred layers (${String(spred.config['name'])}): give the plain model`,
    );
  prunableKernels(model); // refuses a model without Dense/Conv2D kernels
  const output = outputLayer(json);
  let outputActivation: OutputActivation = 'linear';
  if (isSoftmaxLayer(output)) {
    outputActivation = 'softmax';
    if (json.class_name === 'Sequential') json.config.layers.pop();
    else dropFunctionalOutput(json, output);
  } else {
    const activation = output.config['activation'] ?? 'linear';
    if (activation === 'softmax') {
      outputActivation = 'softmax';
      output.config['activation'] = 'linear';
    } else if (activation !== 'linear')
      throw new SpredInputError(
        `the model's output layer ${String(output.config['name'])} has activation '${String(activation)}'; spred prune trains a classifier whose output is a softmax or logits (linear)`,
      );
  }
  const logits = await modelFromTopology(json, model.getWeights());
  const shape = logits.outputs[0]?.shape ?? [];
  const inputShape = (model.inputs[0]?.shape ?? []).slice(1);
  if (shape.length !== 2 || inputShape.some((n) => n === null)) {
    logits.dispose();
    throw new SpredInputError(
      `the model's output has shape (${shape.map(String).join(', ')}) and input (${inputShape.map(String).join(', ')}); spred prune needs a fixed input shape and one vector of class scores per sample`,
    );
  }
  return {
    model: logits,
    outputActivation,
    inputShape: inputShape as number[],
    classes: shape[1] as number,
  };
}

/**
 * A classifier with logits out (what the pruning protocol trained), given back its user's output
 * activation: 'softmax' sets the output layer's activation (or appends an `Activation('softmax')`
 * where the output layer has none); 'linear' copies the model. A new model; the given one is
 * not changed.
 *
 * @example
 * ```ts
 * const shipped = await withOutputActivation(pruned, 'softmax');
 * ```
 */
export async function withOutputActivation(
  model: tfl.LayersModel,
  activation: OutputActivation,
): Promise<tfl.LayersModel> {
  const json = modelTopology(model);
  if (activation === 'softmax') {
    const output = outputLayer(json);
    if ('activation' in output.config && output.config['activation'] === 'linear')
      output.config['activation'] = 'softmax';
    else {
      const name = `${String(output.config['name'])}_softmax`;
      const layer: LayerJson = {
        class_name: 'Activation',
        config: { name, activation: 'softmax', trainable: true, dtype: 'float32' },
      };
      if (json.class_name === 'Sequential') json.config.layers.push(layer);
      else {
        layer.inbound_nodes = [[[output.config['name'], 0, 0, {}]]];
        json.config.layers.push(layer);
        json.config.output_layers = [[name, 0, 0]];
      }
    }
  }
  return modelFromTopology(json, model.getWeights());
}
