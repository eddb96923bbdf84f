import { tfSeed } from '../random/tf-seed.js';
import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '../errors.js';
import { fanIn as defaultFanIn } from '../shape.js';
import { FactoredParameter } from './factored-parameter.js';
import type { GroupStructure } from './group-structure.js';
import type { ReparamOptions } from './options.js';
import { toWeightTensor } from './penalty-weights.js';

/** Checks the options, makes the factor weights and initial factors, and builds the parameter. */
export function buildFactoredParameter(
  kind: 'hadamard' | 'grouped',
  structure: GroupStructure,
  options: ReparamOptions,
): FactoredParameter {
  const depth = options.depth ?? 2;
  if (!Number.isInteger(depth) || depth < 2) {
    throw new SpredInputError(`depth must be an integer ≥ 2, got ${String(depth)}`);
  }
  const factorWeights = makeFactorWeights(structure, options, depth);
  const factorScalars = scalarFactorWeights(options, depth);
  try {
    const init = initialFactors(structure, options, depth);
    const parameter = new FactoredParameter(
      {
        kind,
        structure,
        factorWeights,
        factorScalars,
        trainable: options.trainable ?? true,
        ...(options.name === undefined ? {} : { name: options.name }),
      },
      init,
    );
    if (
      options.initialValue !== undefined ||
      (options.init ?? 'kaiming-unit') === 'balanced-sqrt'
    ) {
      const start = options.initialValue ?? kaimingNormal(structure.shape, options, 0);
      try {
        // A given value is checked (one read); the seeded normal start is finite as drawn.
        if (options.initialValue === undefined) parameter.assignFinite(start as tf.Tensor);
        else parameter.assign(start);
      } catch (e) {
        parameter.dispose();
        throw e;
      } finally {
        if (options.initialValue === undefined) (start as tf.Tensor).dispose();
      }
    }
    return parameter;
  } catch (e) {
    for (const t of factorWeights) if (!t.isDisposed) t.dispose();
    throw e;
  }
}

/** Each factor's λ as a number where the options give one number (read without touching tensors). */
function scalarFactorWeights(options: ReparamOptions, depth: number): (number | undefined)[] {
  const asNumber = (v: unknown) => (typeof v === 'number' ? v : undefined);
  if (options.kappa === undefined) return [asNumber(options.alpha), asNumber(options.beta)];
  return Array.from({ length: depth }, () => asNumber(options.kappa));
}

function makeFactorWeights(
  structure: GroupStructure,
  options: ReparamOptions,
  depth: number,
): tf.Tensor[] {
  const hasKappa = options.kappa !== undefined;
  const hasAlphaBeta = options.alpha !== undefined || options.beta !== undefined;
  if (hasKappa && hasAlphaBeta)
    throw new SpredInputError('give either kappa, or alpha and beta, not both');
  if (!hasKappa && !hasAlphaBeta)
    throw new SpredInputError('kappa is required (or alpha and beta)');
  if (hasAlphaBeta) {
    if (options.alpha === undefined || options.beta === undefined) {
      throw new SpredInputError('alpha and beta must be given together');
    }
    if (depth !== 2) throw new SpredInputError(`alpha and beta need depth 2, got depth ${depth}`);
    return [
      toWeightTensor(options.alpha, structure.groupShape, 'alpha'),
      toWeightTensor(options.beta, structure.groupShape, 'beta'),
    ];
  }
  const kappa = toWeightTensor(
    options.kappa as NonNullable<ReparamOptions['kappa']>,
    structure.groupShape,
    'kappa',
  );
  return Array.from({ length: depth }, (_, k) => (k === 0 ? kappa : tf.clone(kappa)));
}

function initialFactors(structure: GroupStructure, options: ReparamOptions, depth: number) {
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed))
    throw new SpredInputError(`seed must be a finite number, got ${String(seed)}`);
  const w = kaimingNormal(structure.shape, options, 0);
  const scales = Array.from({ length: depth - 1 }, (_, k) =>
    tf.randomNormal([...structure.groupShape], 0, 1, 'float32', tfSeed(seed + 1 + k)),
  );
  return { scales, w };
}

function kaimingNormal(
  shape: readonly number[],
  options: ReparamOptions,
  seedOffset: number,
): tf.Tensor {
  const gain = options.gain ?? Math.SQRT2;
  const fan = options.fanIn ?? defaultFanIn(shape);
  if (!(Number.isFinite(gain) && gain > 0))
    throw new SpredInputError(`gain must be positive, got ${String(gain)}`);
  if (!(Number.isFinite(fan) && fan > 0))
    throw new SpredInputError(`fanIn must be positive, got ${String(fan)}`);
  return tf.randomNormal(
    [...shape],
    0,
    gain / Math.sqrt(fan),
    'float32',
    tfSeed((options.seed ?? 0) + seedOffset),
  );
}
