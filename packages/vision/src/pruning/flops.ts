import type * as tfl from '@tensorflow/tfjs-layers';

/** Which channels (last axis) of a layer's output still carry information; null: all of them. */
type Alive = boolean[] | null;

/**
 * Multiply-adds of the Dense and Conv2D layers of `model` for one input, as the collapsed (pruned)
 * model would compute them on dense hardware: a layer costs kh·kw · (inputs kept) · (units kept) ·
 * (output positions) (kh = kw = 1 and one position for a Dense layer on a vector). A unit or filter
 * whose kernel slice is all zeros (what `collapse` of a `'neurons'`-structured spred model leaves)
 * is removed — its constant output folds into the next layer's bias — so it also shrinks the
 * fan-in of the layers it feeds, through pooling, activations, batch norm, flatten, add and
 * concatenate; an input whose row of the kernel is all zeros is dropped the same way. Biases,
 * pooling and activations are not counted. Unstructured zeros scattered inside a kernel do not
 * lower the count: they need sparse kernels to pay off.
 *
 * @example
 * ```ts
 * const model = mlp({ inputShape: [28, 28, 1], hidden: [300, 100], classes: 10 });
 * await denseConvFlops(model); // 784·300 + 300·100 + 100·10 = 266,200
 * ```
 */
export async function denseConvFlops(model: tfl.LayersModel): Promise<number> {
  const alive = new Map<tfl.layers.Layer, Alive>();
  let flops = 0;
  for (const layer of model.layers) {
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    const inputs = inbound.map((l) => alive.get(l) ?? null);
    const className = layer.getClassName();
    if (className === 'Dense' || className === 'Conv2D') {
      const { cost, units } = await kernelCost(layer, inputs[0] ?? null);
      flops += cost;
      alive.set(layer, units);
      continue;
    }
    alive.set(layer, passThrough(layer, className, inputs));
  }
  return flops;
}

/** The cost of one Dense / Conv2D layer given which of its inputs are alive, and its live units. */
async function kernelCost(
  layer: tfl.layers.Layer,
  inputs: Alive,
): Promise<{ cost: number; units: boolean[] }> {
  const kernel = layer.getWeights()[0];
  if (kernel === undefined) return { cost: 0, units: [] };
  const shape = kernel.shape;
  const fanOut = shape[shape.length - 1] as number;
  const fanIn = shape[shape.length - 2] as number;
  const window = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const values = await kernel.data();
  const rowUsed = new Array<boolean>(fanIn).fill(false);
  const units = new Array<boolean>(fanOut).fill(false);
  // Row-major [..window, fanIn, fanOut]: entry (w, i, j) is at (w·fanIn + i)·fanOut + j.
  for (let w = 0; w < window; w++)
    for (let i = 0; i < fanIn; i++) {
      if (inputs !== null && inputs[i] === false) continue;
      const row = (w * fanIn + i) * fanOut;
      for (let j = 0; j < fanOut; j++)
        if (values[row + j] !== 0) {
          rowUsed[i] = true;
          units[j] = true;
        }
    }
  const keptIn = rowUsed.filter(Boolean).length;
  const keptOut = units.filter(Boolean).length;
  return { cost: window * keptIn * keptOut * positions(layer), units };
}

/** Output positions of a layer: the product of its output shape without batch and channel axes. */
function positions(layer: tfl.layers.Layer): number {
  const shape = layer.outputShape as (number | null)[];
  return shape.slice(1, -1).reduce<number>((a, b) => a * (b ?? 1), 1);
}

/** Liveness through a layer without a kernel: per channel, or per feature after a flatten. */
function passThrough(layer: tfl.layers.Layer, className: string, inputs: readonly Alive[]): Alive {
  const channels = (layer.outputShape as (number | null)[]).at(-1);
  if (className === 'Add')
    return inputs.some((a) => a === null)
      ? null
      : (inputs[0] ?? []).map((_, c) => inputs.some((a) => a?.[c] === true));
  if (className === 'Concatenate') {
    const shapes = layer.inboundNodes[0]?.inboundLayers.map(
      (l) => (l.outputShape as (number | null)[]).at(-1) ?? 0,
    );
    return inputs.flatMap((a, k) => a ?? new Array<boolean>(shapes?.[k] ?? 0).fill(true));
  }
  const input = inputs.length === 1 ? (inputs[0] ?? null) : null;
  if (input === null) return null;
  if (className === 'Flatten') {
    // Channels last: feature (position p, channel c) is p·C + c.
    const size = channels ?? 0;
    return Array.from({ length: size }, (_, f) => input[f % input.length] === true);
  }
  return channels === input.length ? input : null;
}
