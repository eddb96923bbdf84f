import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import { prunableKernels, topScoreMasks, type KernelMask, type MaskOptions } from './masks.js';

/** Options of {@link graspMasks}. */
export interface GraspOptions extends MaskOptions {
  /**
   * The logits are divided by it before the cross-entropy (the reference code uses 200, which
   * keeps the softmax from saturating). Default 1: the plain loss of the paper's equations.
   */
  readonly temperature?: number;
  /** How Hg is computed; see {@link hessianGradientProduct}. Default 'auto'. */
  readonly hessian?: HessianProduct;
}

/**
 * 'exact': double backprop; 'finite-difference': (∇L(θ + εg) − ∇L(θ − εg)) / 2ε; 'auto': exact
 * where tfjs differentiates the model twice correctly (see {@link hessianGradientProduct}), finite
 * differences elsewhere.
 */
export type HessianProduct = 'auto' | 'exact' | 'finite-difference';

/**
 * GraSP (Wang et al. 2020): pruning at init that preserves gradient flow. With g = ∂L/∂θ on the
 * batch (x, oneHot) and Hg the Hessian-gradient product over the prunable kernels, the score is
 * S = −θ ⊙ Hg; removing a weight with a high S reduces the gradient norm the least (or raises
 * it), so GraSP removes the highest scores: it keeps the total/compression weights with the
 * smallest S, globally across layers (plus the per-layer floor of `minimumPerLayer`, by smallest
 * S). The loss is the mean softmax cross-entropy of `model.apply(x, { training: true })`, as
 * SNIP's is.
 *
 * @example
 * ```ts
 * const masks = await graspMasks(model, x, oneHot, 100);
 * applyMasks(model, masks);
 * ```
 */
export async function graspMasks(
  model: tfl.LayersModel,
  x: tf.Tensor,
  oneHot: tf.Tensor,
  compression: number,
  options: GraspOptions = {},
): Promise<KernelMask[]> {
  const kernels = prunableKernels(model);
  const { gradient, product } = await hessianGradientProduct(model, x, oneHot, options);
  try {
    return await topScoreMasks(
      kernels,
      compression,
      // Kept are the top of −S = θ ⊙ Hg: the smallest S.
      (k, i) => tf.mul(k, product[i] as tf.Tensor),
      options.minimumPerLayer ?? 0,
    );
  } finally {
    tf.dispose([...gradient, ...product]);
  }
}

/** The gradient g = ∂L/∂θ and Hg, one tensor per prunable kernel (the caller disposes them). */
export interface HessianGradient {
  readonly gradient: tf.Tensor[];
  readonly product: tf.Tensor[];
  /** How Hg was computed. */
  readonly method: 'exact' | 'finite-difference';
}

/**
 * The Hessian-gradient product Hg of the mean cross-entropy over the prunable kernels of `model`
 * (in {@link prunableKernels} order), with g = ∂L/∂θ held fixed.
 *
 * 'exact' computes it as ∂(∇L(θ) · stop_gradient(g))/∂θ, a `tf.variableGrads` inside a
 * `tf.variableGrads` (tfjs records the inner backward pass on the tape). Two limits of tfjs
 * 4.22 decide where that is right: a gradient that reads its op's saved *output* (Exp, Tanh,
 * Sigmoid, Softmax, …) loses that output's link in the second pass (its copy is taped before the op
 * that makes it), so the second derivative comes out silently wrong; and `Conv2DBackpropFilter`
 * has no gradient at all. So the cross-entropy here is written with an exp whose gradient calls
 * itself on its input (exact to any order), and 'auto' uses double backprop only for models made of
 * Dense layers with ReLU or linear activations (and Flatten / Reshape / Dropout); any other model
 * (Conv2D, batch norm, tanh, swish, …) gets the central finite difference
 * (∇L(θ + εg) − ∇L(θ − εg)) / 2ε with ε = 10⁻³·(1 + ‖θ‖)/‖g‖ (norms over all kernels), the
 * weights restored afterwards. 'exact' on a model with Conv2D throws tfjs's "gradient function not
 * found" (and tfjs keeps the tensors that failed pass had taped).
 *
 * @example
 * ```ts
 * const { gradient, product } = await hessianGradientProduct(model, x, oneHot);
 * tf.dispose([...gradient, ...product]);
 * ```
 */
export async function hessianGradientProduct(
  model: tfl.LayersModel,
  x: tf.Tensor,
  oneHot: tf.Tensor,
  options: Pick<GraspOptions, 'temperature' | 'hessian'> = {},
): Promise<HessianGradient> {
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0))
    throw new SpredInputError(`temperature must be positive, got ${temperature}`);
  const kernels = prunableKernels(model);
  const logits = () => tf.div(model.apply(x, { training: true }) as tf.Tensor, temperature);
  // A constant shift for a stable log-sum-exp (tf.max's gradient has no gradient itself).
  const shift = tf.tidy(() => tf.max(logits(), -1, true));
  const loss = () =>
    tf.tidy(() => {
      const z = tf.sub(logits(), shift);
      const logSumExp = tf.log(tf.sum(twiceDifferentiableExp(z), -1, true));
      return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.sub(z, logSumExp)), -1))) as tf.Scalar;
    });
  try {
    const gradient = gradients(loss, kernels);
    const how = options.hessian ?? 'auto';
    if (how === 'exact' || (how === 'auto' && twiceDifferentiable(model)))
      try {
        return { gradient, product: exactProduct(loss, kernels, gradient), method: 'exact' };
      } catch (error) {
        tf.dispose(gradient);
        throw error;
      }
    try {
      return {
        gradient,
        product: await finiteDifferenceProduct(loss, kernels, gradient),
        method: 'finite-difference',
      };
    } catch (error) {
      tf.dispose(gradient);
      throw error;
    }
  } finally {
    shift.dispose();
  }
}

/** Layers through which tfjs's double backprop is exact (with the loss written as here). */
function twiceDifferentiable(model: tfl.LayersModel): boolean {
  return model.layers.every((layer) => {
    const name = layer.getClassName();
    if (['InputLayer', 'Flatten', 'Reshape', 'Dropout'].includes(name)) return true;
    if (name !== 'Dense') return false;
    const activation = (layer.getConfig() as { activation?: unknown }).activation;
    return activation === undefined || activation === 'linear' || activation === 'relu';
  });
}

/**
 * exp whose gradient is itself applied to the saved input, so that a second backward pass can
 * trace it (tfjs's own Exp gradient reads the saved output, which the second pass cannot).
 */
function twiceDifferentiableExp(x: tf.Tensor): tf.Tensor {
  return tf.customGrad((input, save) => {
    const t = input as tf.Tensor;
    (save as tf.GradSaveFunc)([t]);
    return {
      value: tf.exp(t),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(dy, twiceDifferentiableExp(saved[0] as tf.Tensor)),
    };
  })(x);
}

/** ∂L/∂k for every kernel k (zeros where L does not depend on it). */
function gradients(loss: () => tf.Scalar, kernels: readonly tf.Variable[]): tf.Tensor[] {
  const { value, grads } = tf.variableGrads(loss, [...kernels]);
  value.dispose();
  return kernels.map((k) => grads[k.name] ?? tf.zerosLike(k));
}

function exactProduct(
  loss: () => tf.Scalar,
  kernels: readonly tf.Variable[],
  g: readonly tf.Tensor[],
): tf.Tensor[] {
  return gradients(
    () =>
      tf.addN(
        gradients(loss, kernels).map((gk, i) => tf.sum(tf.mul(gk, g[i] as tf.Tensor))),
      ) as tf.Scalar,
    kernels,
  );
}

async function finiteDifferenceProduct(
  loss: () => tf.Scalar,
  kernels: readonly tf.Variable[],
  g: readonly tf.Tensor[],
): Promise<tf.Tensor[]> {
  const gNorm = await norm(g);
  const saved = kernels.map((k) => k.clone());
  try {
    if (gNorm === 0) return kernels.map((k) => tf.zerosLike(k));
    const epsilon = (1e-3 * (1 + (await norm(kernels)))) / gNorm;
    const at = (sign: number) => {
      kernels.forEach((k, i) =>
        tf.tidy(() =>
          k.assign(tf.add(saved[i] as tf.Tensor, tf.mul(g[i] as tf.Tensor, sign * epsilon))),
        ),
      );
      return gradients(loss, kernels);
    };
    const [plus, minus] = [at(1), at(-1)];
    const product = plus.map((p, i) =>
      tf.tidy(() => tf.div(tf.sub(p, minus[i] as tf.Tensor), 2 * epsilon)),
    );
    tf.dispose([...plus, ...minus]);
    return product;
  } finally {
    kernels.forEach((k, i) => k.assign(saved[i] as tf.Tensor));
    tf.dispose(saved);
  }
}

/**
 * ‖·‖ over several tensors at once: each tensor's Σt² in float32, added up in float64 from one
 * read.
 */
async function norm(ts: readonly tf.Tensor[]): Promise<number> {
  if (ts.length === 0) return 0;
  const sums = tf.tidy(() => tf.stack(ts.map((t) => tf.sum(tf.square(t)))));
  try {
    return Math.sqrt(((await sums.data()) as Float32Array).reduce((s, v) => s + v, 0));
  } finally {
    sums.dispose();
  }
}
