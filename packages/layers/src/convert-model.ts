import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spred/core';
import { balancedFactors, collapseKernel, type SpredStructure } from './spred-kernel.js';
import './spred-dense.js';

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  [key: string]: unknown;
}

interface ModelJson {
  class_name: string;
  config: { layers: LayerJson[]; [key: string]: unknown };
  [key: string]: unknown;
}

const ACTIVATIONS = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'swish', 'elu']);

function topology(model: tfl.LayersModel): ModelJson {
  return model.toJSON(null, false) as unknown as ModelJson;
}

async function rebuild(json: ModelJson): Promise<tfl.LayersModel> {
  return tfl.models.modelFromJSON({
    modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'],
  } as tf.io.ModelJSON);
}

/** Options of {@link spredify}. */
export interface SpredifyOptions {
  /** κ of every converted layer (per layer name, if a record). */
  readonly kappa: number | Readonly<Record<string, number>>;
  /** Default 'elementwise'. */
  readonly structure?: SpredStructure;
  /** Names of the Dense layers to convert; default all. */
  readonly include?: readonly string[];
}

/**
 * Turns the Dense layers of a trained `tf.LayersModel` into {@link SpredDense} layers holding the
 * balanced factorization of their trained kernels, so the new model computes exactly the same
 * outputs and training it adds 2κ‖kernel‖₁ (group L1 for structured) to the loss. The original
 * model is left as it was.
 *
 * @example
 * ```ts
 * const sparse = await spredify(model, { kappa: 1e-4 });
 * sparse.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
 * await sparse.fit(x, y, { epochs: 5 });
 * const deployed = await collapse(sparse, { threshold: 1e-3 });
 * ```
 */
export async function spredify(
  model: tfl.LayersModel,
  options: SpredifyOptions,
): Promise<tfl.LayersModel> {
  const json = topology(model);
  const structure = options.structure ?? 'elementwise';
  const converted = new Set<string>();
  for (const layer of json.config.layers) {
    const name = layer.config['name'] as string;
    if (
      layer.class_name !== 'Dense' ||
      (options.include !== undefined && !options.include.includes(name))
    )
      continue;
    const kappa = typeof options.kappa === 'number' ? options.kappa : options.kappa[name];
    if (kappa === undefined) continue;
    if (!(kappa > 0))
      throw new SpredInputError(`kappa of layer '${name}' must be positive, got ${kappa}`);
    const activation = (layer.config['activation'] as string | undefined) ?? 'linear';
    if (!ACTIVATIONS.has(activation))
      throw new SpredInputError(
        `layer '${name}' has activation '${activation}', which SpredDense does not support`,
      );
    layer.class_name = 'SpredDense';
    layer.config = {
      name,
      trainable: layer.config['trainable'] ?? true,
      ...(layer.config['batch_input_shape'] === undefined
        ? {}
        : { batch_input_shape: layer.config['batch_input_shape'] }),
      dtype: layer.config['dtype'] ?? 'float32',
      units: layer.config['units'],
      activation,
      use_bias: layer.config['use_bias'] ?? true,
      kappa,
      structure,
    };
    converted.add(name);
  }
  if (options.include !== undefined) {
    for (const name of options.include)
      if (!converted.has(name))
        throw new SpredInputError(`no Dense layer named '${name}' in the model`);
  }
  const result = await rebuild(json);
  for (const layer of result.layers) {
    const old = model.getLayer(layer.name);
    const weights = old.getWeights();
    if (!converted.has(layer.name)) {
      layer.setWeights(weights);
      continue;
    }
    const [kernel, ...rest] = weights as [tf.Tensor, ...tf.Tensor[]];
    const [u, w] = balancedFactors(kernel, structure);
    layer.setWeights([u, w, ...rest]);
    tf.dispose([u, w]);
  }
  return result;
}

/**
 * The plain model a spred model stands for: every {@link SpredDense} becomes a Dense layer whose
 * kernel is U ⊙ W with exact zeros wherever |v| (the group norm, for structured layers) is at most
 * `threshold`. With threshold 0 the outputs are unchanged.
 */
export async function collapse(
  model: tfl.LayersModel,
  options: { threshold?: number } = {},
): Promise<tfl.LayersModel> {
  const threshold = options.threshold ?? 0;
  if (!(Number.isFinite(threshold) && threshold >= 0))
    throw new SpredInputError(`threshold must be ≥ 0, got ${threshold}`);
  const json = topology(model);
  const structures = new Map<string, SpredStructure>();
  for (const layer of json.config.layers) {
    if (layer.class_name !== 'SpredDense') continue;
    const c = layer.config;
    structures.set(c['name'] as string, c['structure'] as SpredStructure);
    layer.class_name = 'Dense';
    layer.config = {
      name: c['name'],
      trainable: c['trainable'] ?? true,
      ...(c['batch_input_shape'] === undefined
        ? {}
        : { batch_input_shape: c['batch_input_shape'] }),
      dtype: c['dtype'] ?? 'float32',
      units: c['units'],
      activation: c['activation'],
      use_bias: c['use_bias'],
    };
  }
  const result = await rebuild(json);
  for (const layer of result.layers) {
    const weights = model.getLayer(layer.name).getWeights();
    const structure = structures.get(layer.name);
    if (structure === undefined) {
      layer.setWeights(weights);
      continue;
    }
    const [u, w, ...rest] = weights as [tf.Tensor, tf.Tensor, ...tf.Tensor[]];
    const product = tf.mul(u, w);
    const kernel = collapseKernel(product, structure, threshold);
    layer.setWeights([kernel, ...rest]);
    tf.dispose([product, kernel]);
  }
  return result;
}
