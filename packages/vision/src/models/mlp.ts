import * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError, tfSeed } from '@spredjs/core';

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Shape of one input; images are flattened first. */
  readonly inputShape: readonly number[];
  /** Widths of the hidden layers, e.g. `[300, 100]` (LeNet-300-100) or `[1000]` (the paper's). */
  readonly hidden: readonly number[];
  readonly classes: number;
  /** Default 'relu'. */
  readonly activation?: 'relu' | 'swish';
  readonly seed?: number;
}

/**
 * A fully connected classifier: flatten, Dense hidden layers (He-normal, ReLU or swish) and a
 * Dense output of logits (Glorot-normal). Seeded: the same seed gives the same weights.
 *
 * @example
 * ```ts
 * const model = mlp({ inputShape: [28, 28, 1], hidden: [300, 100], classes: 10, seed: 0 });
 * ```
 */
export function mlp(options: MlpOptions): tfl.LayersModel {
  if (options.hidden.some((h) => !(Number.isInteger(h) && h > 0)))
    throw new SpredInputError(
      `hidden widths must be positive integers, got ${options.hidden.join(',')}`,
    );
  let seed = options.seed ?? 0;
  const layers: tfl.layers.Layer[] = [tfl.layers.flatten({ inputShape: [...options.inputShape] })];
  for (const units of options.hidden)
    layers.push(
      tfl.layers.dense({
        units,
        activation: options.activation ?? 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: tfSeed(seed++) }),
      }),
    );
  layers.push(
    tfl.layers.dense({
      units: options.classes,
      kernelInitializer: tfl.initializers.glorotNormal({ seed: tfSeed(seed++) }),
    }),
  );
  return tfl.sequential({ layers, name: `mlp-${options.hidden.join('-')}` });
}
