import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import { modelFromTopology, modelTopology } from './model-topology.js';

type Layer = tfl.layers.Layer;

/** What {@link shrinkModel} gives back. */
export interface ShrinkResult {
  /** The new, smaller model of plain tfjs layers; its outputs equal the input model's. */
  readonly model: tfl.LayersModel;
  /** Per Dense / Conv2D layer (in the model's order): how many units (filters) went, of how many. */
  readonly removed: readonly {
    readonly layer: string;
    readonly units: number;
    readonly of: number;
  }[];
  /** `model.countParams()` of the input model and of the shrunk one. */
  readonly parameters: { readonly before: number; readonly after: number };
}

/** Layer classes whose units {@link shrinkModel} removes and whose input rows it slices. */
const KERNEL_CLASSES = new Set(['Dense', 'Conv2D']);

/** Layers that act on each channel alone at inference, so a constant channel stays constant. */
const PER_CHANNEL_CLASSES = new Set([
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'BatchNormalization',
  'Dropout',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
]);

/**
 * A Dense / Conv2D `producer` whose output reaches exactly one Dense / Conv2D `consumer` through a
 * simple chain of per-channel layers `between`: the case where removing a unit is a local edit.
 */
interface Link {
  readonly producer: Layer;
  readonly between: readonly Layer[];
  readonly consumer: Layer;
}

/** The edits of one pass, by layer name. */
interface Plan {
  /** Units (filters) kept, of a producer. */
  readonly units: Map<string, boolean[]>;
  /** Input features kept (the kernel's fan-in axis), of a consumer. */
  readonly rows: Map<string, boolean[]>;
  /** Channels kept (last axis of every weight), of a layer between. */
  readonly channels: Map<string, boolean[]>;
  /** Added to a consumer's bias (indexed by its units before this pass's removals). */
  readonly bias: Map<string, Float64Array>;
}

/**
 * The smaller model a structured-sparse model stands for: every unit of a Dense layer (filter of a
 * Conv2D layer) that is **dead** — its kernel slice `kernel[..., j]` is all exact zeros, so it
 * outputs the constant act(b_j) — or **unused** — every weight of its consumer for it is an exact
 * zero — is removed, with the layer's units / filters lowered accordingly. A dead unit's constant
 * is carried through the per-channel layers on the way (activations, inference batch norm,
 * dropout, pooling, flatten) and folded into the consumer's bias: exact for a Dense consumer and a
 * Conv2D consumer with `'valid'` padding; behind a `'same'` Conv2D it is removed only if the
 * constant is exactly 0 (zero padding would make the border differ). Batch-norm layers on the way
 * lose the same channels, and a Dense after a Flatten loses the features of every position of a
 * removed filter. A unit is kept wherever its path to the next kernel is not a simple chain (Add,
 * Concatenate, several consumers, a shared layer, any other layer class), and the model's output
 * layers keep all their units. Removals repeat until none is left, since removing one layer's units
 * can leave units of its neighbours dead or unused. This is what `'neurons'`-structured spred
 * training followed by `collapse` leaves; the input model is neither changed nor disposed.
 *
 * @example
 * ```ts
 * const plain = await collapse(sparse, { threshold: 1e-3 }); // structure: 'neurons'
 * const { model, removed, parameters } = await shrinkModel(plain);
 * // removed: [{ layer: 'dense_1', units: 57, of: 64 }, …]; model.predict(x) equals plain.predict(x)
 * ```
 */
export async function shrinkModel(model: tfl.LayersModel): Promise<ShrinkResult> {
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className.startsWith('Spred'))
      throw new SpredInputError(
        `layer '${layer.name}' is a ${className}, a spred layer: collapse it first`,
      );
  }
  let current = model;
  try {
    for (;;) {
      const plan = await planPass(current);
      const changes = plan.units.size > 0;
      if (!changes && current !== model) break;
      const next = await rebuild(current, plan);
      if (current !== model) current.dispose();
      current = next;
      if (!changes) break;
    }
  } catch (error) {
    if (current !== model) current.dispose();
    throw error;
  }
  const removed = model.layers
    .filter((layer) => KERNEL_CLASSES.has(layer.getClassName()))
    .map((layer) => {
      const of = units(layer);
      return { layer: layer.name, units: of - units(current.getLayer(layer.name)), of };
    });
  return {
    model: current,
    removed,
    parameters: { before: model.countParams(), after: current.countParams() },
  };
}

/** Units of a Dense layer, filters of a Conv2D layer: the kernel's last axis. */
function units(layer: Layer): number {
  const kernel = layer.getWeights()[0];
  return kernel === undefined ? 0 : (kernel.shape.at(-1) ?? 0);
}

/** What one pass over `model` removes: every link's dead and unused units, decided independently. */
async function planPass(model: tfl.LayersModel): Promise<Plan> {
  const plan: Plan = { units: new Map(), rows: new Map(), channels: new Map(), bias: new Map() };
  for (const layer of model.layers) {
    const link = linkOf(model, layer);
    if (link === null) continue;
    const decision = await decide(link);
    if (decision === null) continue;
    const { keep, rows, fold } = decision;
    plan.units.set(link.producer.name, keep);
    plan.rows.set(link.consumer.name, rows);
    for (const between of link.between)
      if (between.getWeights().length > 0) plan.channels.set(between.name, keep);
    if (fold !== null) plan.bias.set(link.consumer.name, fold);
  }
  return plan;
}

function config(layer: Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

function channelsLast(layer: Layer): boolean {
  const format = config(layer)['dataFormat'];
  // getConfig spells it 'channelsLast'; the JSON topology, 'channels_last'
  return (
    format === undefined ||
    format === null ||
    format === 'channelsLast' ||
    format === 'channels_last'
  );
}

/** Whether a constant channel stays one constant channel through `layer` (at inference). */
function passesChannels(layer: Layer): boolean {
  const className = layer.getClassName();
  if (!PER_CHANNEL_CLASSES.has(className) || !channelsLast(layer)) return false;
  if (className === 'Activation') return config(layer)['activation'] !== 'softmax';
  if (className === 'BatchNormalization') {
    const axis = config(layer)['axis'];
    const rank = (layer.outputShape as (number | null)[]).length;
    return axis === -1 || axis === rank - 1;
  }
  return true;
}

/** The link from a Dense / Conv2D layer to its one consumer, or null where it is not a simple chain. */
function linkOf(model: tfl.LayersModel, producer: Layer): Link | null {
  if (!KERNEL_CLASSES.has(producer.getClassName()) || !channelsLast(producer)) return null;
  // softmax mixes the units, so no unit's output is its own constant
  if (config(producer)['activation'] === 'softmax') return null;
  const inModel = new Set(model.layers);
  // (a Sequential model leaves outputLayers empty; its outputs still name their layers)
  const outputs = new Set(model.outputs.map((output) => output.sourceLayer));
  if (outputs.has(producer) || producer.inboundNodes.length !== 1) return null;
  const between: Layer[] = [];
  let current = producer;
  for (;;) {
    const [node, ...others] = current.outboundNodes;
    if (node === undefined || others.length > 0) return null;
    const next = node.outboundLayer;
    if (
      !inModel.has(next) ||
      next.inboundNodes.length !== 1 ||
      next.inboundNodes[0]?.inboundLayers.length !== 1
    )
      return null;
    if (KERNEL_CLASSES.has(next.getClassName()))
      return channelsLast(next) ? { producer, between, consumer: next } : null;
    if (!passesChannels(next) || outputs.has(next)) return null;
    between.push(next);
    current = next;
  }
}

/** A kernel's values with its shape read as [window, fanIn, fanOut] (a bias or BN weight: [1, 1, n]). */
interface Kernel {
  readonly values: Float32Array;
  readonly shape: readonly number[];
  readonly window: number;
  readonly fanIn: number;
  readonly fanOut: number;
}

async function readKernel(tensor: tf.Tensor): Promise<Kernel> {
  const shape = tensor.shape;
  const fanOut = shape.at(-1) ?? 1;
  const fanIn = shape.length >= 2 ? (shape.at(-2) ?? 1) : 1;
  const window = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const values = Float32Array.from(await tensor.data());
  return { values, shape, window, fanIn, fanOut };
}

/**
 * Which units of the link's producer go, the consumer rows that go with them and the consumer's
 * bias fold; null when nothing goes. Row i of the consumer's fan-in belongs to producer channel
 * i mod C (channels last, also after a Flatten: feature p·C + c).
 */
async function decide(
  link: Link,
): Promise<{ keep: boolean[]; rows: boolean[]; fold: Float64Array | null } | null> {
  const { producer, consumer } = link;
  const [producerKernel] = producer.getWeights();
  const [consumerKernel] = consumer.getWeights();
  if (producerKernel === undefined || consumerKernel === undefined) return null;
  const own = await readKernel(producerKernel);
  const next = await readKernel(consumerKernel);
  const channels = own.fanOut;
  if (next.fanIn % channels !== 0) return null;

  const dead = new Array<boolean>(channels).fill(true);
  for (let r = 0; r < own.window * own.fanIn; r++)
    for (let j = 0; j < channels; j++) if (own.values[r * channels + j] !== 0) dead[j] = false;
  const unused = new Array<boolean>(channels).fill(true);
  for (let w = 0; w < next.window; w++)
    for (let i = 0; i < next.fanIn; i++) {
      const row = (w * next.fanIn + i) * next.fanOut;
      for (let k = 0; k < next.fanOut; k++)
        if (next.values[row + k] !== 0) unused[i % channels] = false;
    }
  if (!dead.some(Boolean) && !unused.some(Boolean)) return null;

  const remove = unused.slice();
  const constants = dead.some((d, j) => d && !unused[j]) ? await arrivingConstants(link) : null;
  const zeroPadded =
    consumer.getClassName() === 'Conv2D' && config(consumer)['padding'] !== 'valid';
  for (let j = 0; j < channels; j++) {
    const constant = constants?.[j];
    if (unused[j] || !dead[j] || constant === undefined || constant === null) continue;
    remove[j] = !zeroPadded || constant === 0;
  }
  // a layer keeps at least one unit: tfjs has no zero-unit layers
  if (remove.every(Boolean)) remove[0] = false;
  if (!remove.some(Boolean)) return null;

  const fold = new Float64Array(next.fanOut);
  let folds = false;
  for (let w = 0; w < next.window; w++)
    for (let i = 0; i < next.fanIn; i++) {
      const j = i % channels;
      const constant = constants?.[j];
      if (!remove[j] || unused[j] || constant === undefined || constant === null || constant === 0)
        continue;
      const row = (w * next.fanIn + i) * next.fanOut;
      for (let k = 0; k < next.fanOut; k++)
        fold[k] = (fold[k] ?? 0) + constant * (next.values[row + k] ?? 0);
      folds = true;
    }
  const keep = remove.map((r) => !r);
  const rows = Array.from({ length: next.fanIn }, (_, i) => keep[i % channels] === true);
  return { keep, rows, fold: folds ? fold : null };
}

/**
 * Per producer channel, the value it arrives with at the consumer when it is dead: the producer
 * and the layers between run on a zero input (a dead unit outputs act(b) whatever its input), at
 * inference, on the model's own shapes. null for a channel that does not arrive as one finite
 * constant (or for every channel when the shapes are not fixed).
 */
async function arrivingConstants(link: Link): Promise<(number | null)[] | null> {
  // a node's inputShapes is one shape or a list of them (one per input)
  const shapes = (link.producer.inboundNodes[0]?.inputShapes ?? []) as unknown[];
  const shape = Array.isArray(shapes[0]) ? (shapes.length === 1 ? shapes[0] : []) : shapes;
  const dims = (shape as unknown[]).slice(1);
  if (dims.length === 0 || dims.some((d) => typeof d !== 'number')) return null;
  const arriving = tf.tidy(() => {
    let t = tf.zeros([1, ...(dims as number[])]);
    for (const layer of [link.producer, ...link.between]) {
      const out = layer.apply(t, { training: false });
      if (!(out instanceof tf.Tensor)) throw new Error(`layer '${layer.name}' did not run eagerly`);
      t = out;
    }
    return t;
  });
  let values: Float32Array | Int32Array | Uint8Array;
  try {
    values = (await arriving.data()) as Float32Array | Int32Array | Uint8Array;
  } finally {
    arriving.dispose();
  }
  const channels = units(link.producer);
  const constants: (number | null)[] = [];
  for (let j = 0; j < channels; j++) {
    const first = values[j];
    let constant: number | null = first !== undefined && Number.isFinite(first) ? first : null;
    for (let i = j; constant !== null && i < values.length; i += channels)
      if (values[i] !== constant) constant = null;
    constants.push(constant);
  }
  return constants;
}

/** Keeps the `rows` of the fan-in axis and the `cols` of the last axis of a kernel. */
function slice(
  kernel: Kernel,
  rows: boolean[] | undefined,
  cols: boolean[] | undefined,
): tf.Tensor {
  const keptRows = rows === undefined ? kernel.fanIn : rows.filter(Boolean).length;
  const keptCols = cols === undefined ? kernel.fanOut : cols.filter(Boolean).length;
  const out = new Float32Array(kernel.window * keptRows * keptCols);
  let o = 0;
  for (let w = 0; w < kernel.window; w++)
    for (let i = 0; i < kernel.fanIn; i++) {
      if (rows !== undefined && rows[i] !== true) continue;
      const row = (w * kernel.fanIn + i) * kernel.fanOut;
      for (let k = 0; k < kernel.fanOut; k++)
        if (cols === undefined || cols[k] === true) out[o++] = kernel.values[row + k] ?? 0;
    }
  const shape = [...kernel.shape];
  if (shape.length >= 2) shape[shape.length - 2] = keptRows;
  shape[shape.length - 1] = keptCols;
  return tf.tensor(out, shape, 'float32');
}

/** The new weights of one layer of `source` under `plan`; null when they are unchanged. */
async function editedWeights(source: Layer, plan: Plan): Promise<tf.Tensor[] | null> {
  const name = source.name;
  const weights = source.getWeights();
  const channels = plan.channels.get(name);
  if (channels !== undefined)
    return Promise.all(weights.map(async (w) => slice(await readKernel(w), undefined, channels)));
  const keep = plan.units.get(name);
  const rows = plan.rows.get(name);
  const fold = plan.bias.get(name);
  if (keep === undefined && rows === undefined && fold === undefined) return null;
  const [kernelTensor, biasTensor] = weights;
  if (kernelTensor === undefined) return null;
  const kernel = await readKernel(kernelTensor);
  const result = [slice(kernel, rows, keep)];
  if (biasTensor === undefined && fold === undefined) return result;
  const bias =
    biasTensor === undefined
      ? new Float32Array(kernel.fanOut)
      : Float32Array.from(await biasTensor.data());
  // the fold is summed in float64 and rounded once into the float32 bias
  if (fold !== undefined)
    for (let k = 0; k < bias.length; k++) bias[k] = (bias[k] ?? 0) + (fold[k] ?? 0);
  const biasKernel: Kernel = {
    values: bias,
    shape: [bias.length],
    window: 1,
    fanIn: 1,
    fanOut: bias.length,
  };
  result.push(slice(biasKernel, undefined, keep));
  return result;
}

/** The model `current` with `plan` applied: topology edited, rebuilt, weights sliced and folded. */
async function rebuild(current: tfl.LayersModel, plan: Plan): Promise<tfl.LayersModel> {
  const json = modelTopology(current);
  for (const layer of json.config.layers) {
    const name = layer.config['name'] as string;
    const keep = plan.units.get(name);
    if (keep !== undefined) {
      const key = layer.class_name === 'Conv2D' ? 'filters' : 'units';
      layer.config[key] = keep.filter(Boolean).length;
    }
    if (plan.bias.has(name)) layer.config['use_bias'] = true;
  }
  const next = await modelFromTopology(json);
  try {
    for (const layer of next.layers) {
      const source = current.getLayer(layer.name);
      const edited = await editedWeights(source, plan);
      if (edited === null) {
        layer.setWeights(source.getWeights());
        continue;
      }
      try {
        layer.setWeights(edited);
      } finally {
        tf.dispose(edited);
      }
    }
  } catch (error) {
    next.dispose();
    throw error;
  }
  return next;
}
