import * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError, tfSeed } from '@spredjs/core';

/** One stage of a ResNet: `blocks` basic blocks of `filters` channels, the first with `stride`. */
export interface ResNetStage {
  readonly filters: number;
  readonly blocks: number;
  readonly stride: number;
}

/** Options of {@link resnet}. */
export interface ResNetOptions {
  readonly inputShape: [number, number, number];
  readonly classes: number;
  readonly stemFilters: number;
  readonly stages: readonly ResNetStage[];
  readonly seed?: number;
  readonly name?: string;
}

/**
 * A ResNet of basic blocks for small images (He et al. 2016): a 3×3 stem (conv, batch norm, ReLU),
 * the stages, global average pooling and a dense classifier. Convolutions have no bias (batch norm
 * follows each); a block whose shape changes gets a 1×1 convolution + batch norm shortcut.
 */
export function resnet(options: ResNetOptions): tfl.LayersModel {
  if (options.stages.length === 0) throw new SpredInputError('a ResNet needs at least one stage');
  let seed = options.seed ?? 0;
  const conv = (filters: number, kernelSize: number, strides: number) =>
    tfl.layers.conv2d({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: tfl.initializers.heNormal({ seed: tfSeed(seed++) }),
    });
  // momentum 0.9 is PyTorch's default (0.1 there): running statistics that settle in a short CPU run.
  const bn = () => tfl.layers.batchNormalization({ axis: -1, momentum: 0.9 });
  const input = tfl.input({ shape: options.inputShape });
  let x = tfl.layers
    .reLU()
    .apply(bn().apply(conv(options.stemFilters, 3, 1).apply(input))) as tfl.SymbolicTensor;
  let channels = options.stemFilters;
  for (const stage of options.stages) {
    for (let b = 0; b < stage.blocks; b++) {
      const stride = b === 0 ? stage.stride : 1;
      let y = tfl.layers
        .reLU()
        .apply(bn().apply(conv(stage.filters, 3, stride).apply(x))) as tfl.SymbolicTensor;
      y = bn().apply(conv(stage.filters, 3, 1).apply(y)) as tfl.SymbolicTensor;
      const shortcut =
        stride !== 1 || channels !== stage.filters
          ? (bn().apply(conv(stage.filters, 1, stride).apply(x)) as tfl.SymbolicTensor)
          : x;
      x = tfl.layers.reLU().apply(tfl.layers.add().apply([y, shortcut])) as tfl.SymbolicTensor;
      channels = stage.filters;
    }
  }
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({
      units: options.classes,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: tfSeed(seed++) }),
    })
    .apply(pooled) as tfl.SymbolicTensor;
  return tfl.model({
    inputs: input,
    outputs: logits,
    ...(options.name === undefined ? {} : { name: options.name }),
  });
}

/**
 * ResNet-18 for 32×32 inputs (the CIFAR variant with a 3×3 stem and no max-pool): stages of
 * 64/128/256/512 channels, two blocks each; 11,173,962 trainable parameters for 10 classes on RGB.
 */
export function resnet18(
  options: { inputShape?: [number, number, number]; classes?: number; seed?: number } = {},
): tfl.LayersModel {
  return resnet({
    inputShape: options.inputShape ?? [32, 32, 3],
    classes: options.classes ?? 10,
    stemFilters: 64,
    stages: [
      { filters: 64, blocks: 2, stride: 1 },
      { filters: 128, blocks: 2, stride: 2 },
      { filters: 256, blocks: 2, stride: 2 },
      { filters: 512, blocks: 2, stride: 2 },
    ],
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    name: 'resnet18',
  });
}

/**
 * The CIFAR ResNets of He et al. with 6n + 2 layers (ResNet-8: n = 1, ResNet-20: n = 3): stages of
 * 16/32/64 channels, n blocks each — small enough to train on a CPU.
 */
export function cifarResnet(
  depth: 8 | 14 | 20 | 32,
  options: { inputShape?: [number, number, number]; classes?: number; seed?: number } = {},
): tfl.LayersModel {
  const n = (depth - 2) / 6;
  return resnet({
    inputShape: options.inputShape ?? [32, 32, 3],
    classes: options.classes ?? 10,
    stemFilters: 16,
    stages: [
      { filters: 16, blocks: n, stride: 1 },
      { filters: 32, blocks: n, stride: 2 },
      { filters: 64, blocks: n, stride: 2 },
    ],
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    name: `resnet${depth}`,
  });
}

/** Number of trainable parameters (what papers report; batch-norm running statistics excluded). */
export function trainableParameterCount(model: tfl.LayersModel): number {
  return model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
}
