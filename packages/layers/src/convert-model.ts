import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import { balancedFactors, collapseKernel, type SpredStructure } from './spred-kernel.js';
import {
  certifiedKernels,
  type ModelStationarityOptions,
} from './certificate/model-certificate.js';
import { modelFromTopology, modelTopology } from './model-topology.js';
import './spred-dense.js';
import './spred-conv2d.js';

const ACTIVATIONS = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'swish', 'elu']);

/** Plain layer class ↔ spred layer class, and the config keys (besides the common ones) each keeps. */
const PAIRS: readonly { plain: string; spred: string; keys: readonly string[] }[] = [
  { plain: 'Dense', spred: 'SpredDense', keys: ['units'] },
  { plain: 'Conv2D', spred: 'SpredConv2D', keys: ['filters', 'kernel_size', 'strides', 'padding'] },
];

/** The layer config keys every converted layer keeps, plus the class-specific ones. */
function carriedConfig(
  config: Record<string, unknown>,
  keys: readonly string[],
): Record<string, unknown> {
  const carried: Record<string, unknown> = {
    name: config['name'],
    trainable: config['trainable'] ?? true,
    dtype: config['dtype'] ?? 'float32',
    activation: config['activation'] ?? 'linear',
    use_bias: config['use_bias'] ?? true,
  };
  if (config['batch_input_shape'] !== undefined)
    carried['batch_input_shape'] = config['batch_input_shape'];
  for (const key of keys) carried[key] = config[key];
  return carried;
}

/** Options of {@link spredify}. */
export interface SpredifyOptions {
  /** κ of every converted layer (per layer name, if a record). */
  readonly kappa: number | Readonly<Record<string, number>>;
  /** Default 'elementwise'. */
  readonly structure?: SpredStructure;
  /** Names of the Dense / Conv2D layers to convert; default all. */
  readonly include?: readonly string[];
  /**
   * `'keep'` (default): the converted kernels hold the balanced factorization of the model's
   * kernels, so outputs are unchanged (sparsify a trained model). `'reinitialize'`: they get the
   * paper's initialization instead (U unit-variance normal, W He-normal, far from balance), for
   * training from scratch; the other layers keep their weights.
   */
  readonly weights?: 'keep' | 'reinitialize';
  /** Seed of the reinitialized factors (layer i uses seed + 2i and seed + 2i + 1). Default 0. */
  readonly seed?: number;
}

/**
 * Turns the Dense and Conv2D layers of a trained `tf.LayersModel` into spred layers holding the
 * balanced factorization of their trained kernels, so the new model computes exactly the same
 * outputs and training it adds 2κ‖kernel‖₁ (group L1 for structured) to the loss. The original
 * model is left as it was. With `weights: 'reinitialize'` the spred kernels start from the paper's
 * initialization instead, to train a sparse model from scratch.
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
  const json = modelTopology(model);
  const structure = options.structure ?? 'elementwise';
  const converted = new Set<string>();
  for (const layer of json.config.layers) {
    const pair = PAIRS.find((p) => p.plain === layer.class_name);
    const name = layer.config['name'] as string;
    if (pair === undefined || (options.include !== undefined && !options.include.includes(name)))
      continue;
    const kappa = typeof options.kappa === 'number' ? options.kappa : options.kappa[name];
    if (kappa === undefined) continue;
    if (!(kappa > 0))
      throw new SpredInputError(`kappa of layer '${name}' must be positive, got ${kappa}`);
    const activation = (layer.config['activation'] as string | undefined) ?? 'linear';
    if (!ACTIVATIONS.has(activation))
      throw new SpredInputError(
        `layer '${name}' has activation '${activation}', which spred layers do not support`,
      );
    if (pair.plain === 'Conv2D') {
      const dilation = layer.config['dilation_rate'];
      if ((Array.isArray(dilation) ? dilation : [dilation ?? 1]).some((r) => r !== 1))
        throw new SpredInputError(`layer '${name}' is dilated, which SpredConv2D does not support`);
      if ((layer.config['data_format'] ?? 'channels_last') !== 'channels_last')
        throw new SpredInputError(
          `layer '${name}' is channels_first; SpredConv2D is channels-last`,
        );
    }
    layer.class_name = pair.spred;
    layer.config = {
      ...carriedConfig(layer.config, pair.keys),
      kappa,
      structure,
      seed: (options.seed ?? 0) + 2 * converted.size,
    };
    converted.add(name);
  }
  if (options.include !== undefined) {
    for (const name of options.include)
      if (!converted.has(name))
        throw new SpredInputError(`no Dense or Conv2D layer named '${name}' in the model`);
  }
  const result = await modelFromTopology(json);
  for (const layer of result.layers) {
    const weights = model.getLayer(layer.name).getWeights();
    if (!converted.has(layer.name)) {
      layer.setWeights(weights);
      continue;
    }
    const [kernel, ...rest] = weights as [tf.Tensor, ...tf.Tensor[]];
    if (options.weights === 'reinitialize') {
      const [u, w] = layer.getWeights() as [tf.Tensor, tf.Tensor];
      layer.setWeights([u, w, ...rest]);
      continue;
    }
    const [u, w] = await balancedFactors(kernel, structure);
    layer.setWeights([u, w, ...rest]);
    tf.dispose([u, w]);
  }
  return result;
}

/**
 * How {@link collapse} decides the zeros: from data, exactly where zero is certified on (x, y)
 * (see {@link l1Stationarity}), or below a magnitude `threshold`.
 */
export type CollapseOptions = ModelStationarityOptions | { readonly threshold?: number };

/**
 * The plain model a spred model stands for: every spred layer becomes a Dense / Conv2D layer with
 * kernel U ⊙ W and exact zeros. With data (`{ x, y }`), the zeros are exactly the entries (groups)
 * whose zero is certified under the model's compiled loss on all of (x, y): those with
 * ‖∂L/∂V_g‖ ≤ 2κ(1 + tol) are zeroed together and the test is repeated at that point until it
 * holds for every one of them; nothing else changes, so there is no threshold to choose. After
 * {@link polish} these are exactly polish's zeros. With `{ threshold }` instead, every entry
 * (group norm) at most the threshold becomes zero (threshold 0: the outputs are unchanged). The
 * spred model itself is left as it was.
 *
 * @example
 * ```ts
 * await polish(sparse, { x, y });
 * const deployed = await collapse(sparse, { x, y }); // plain Dense layers, certified zeros
 * ```
 */
export async function collapse(
  model: tfl.LayersModel,
  options: CollapseOptions = {},
): Promise<tfl.LayersModel> {
  const fromData = 'x' in options;
  const threshold = fromData ? 0 : (options.threshold ?? 0);
  if (!(Number.isFinite(threshold) && threshold >= 0))
    throw new SpredInputError(`threshold must be ≥ 0, got ${threshold}`);
  const certified = fromData ? (await certifiedKernels(model, options)).kernels : undefined;
  try {
    return await plainModel(model, threshold, certified);
  } finally {
    for (const kernel of certified?.values() ?? []) kernel.dispose();
  }
}

/** The plain model with the `certified` kernels where given, else U ⊙ W collapsed at `threshold`. */
async function plainModel(
  model: tfl.LayersModel,
  threshold: number,
  certified: ReadonlyMap<string, tf.Tensor> | undefined,
): Promise<tfl.LayersModel> {
  const json = modelTopology(model);
  const structures = new Map<string, SpredStructure>();
  for (const layer of json.config.layers) {
    const pair = PAIRS.find((p) => p.spred === layer.class_name);
    if (pair === undefined) continue;
    structures.set(layer.config['name'] as string, layer.config['structure'] as SpredStructure);
    layer.class_name = pair.plain;
    layer.config = carriedConfig(layer.config, pair.keys);
  }
  const result = await modelFromTopology(json);
  for (const layer of result.layers) {
    const weights = model.getLayer(layer.name).getWeights();
    const structure = structures.get(layer.name);
    if (structure === undefined) {
      layer.setWeights(weights);
      continue;
    }
    const [u, w, ...rest] = weights as [tf.Tensor, tf.Tensor, ...tf.Tensor[]];
    const given = certified?.get(layer.name);
    if (given !== undefined) {
      layer.setWeights([given, ...rest]);
      continue;
    }
    const product = tf.mul(u, w);
    let kernel: tf.Tensor;
    try {
      kernel = await collapseKernel(product, structure, threshold);
    } finally {
      product.dispose();
    }
    layer.setWeights([kernel, ...rest]);
    kernel.dispose();
  }
  return result;
}
