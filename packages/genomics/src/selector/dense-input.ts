import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';
import type { GeneInputLayer } from './gene-input-layer.js';
import { kaiming } from './kaiming.js';
import { euclideanRowNorms } from './working-set.js';

/** What {@link denseInput} builds. */
export interface DenseInputSpec {
  readonly genes: number;
  readonly width: number;
  readonly seed: number;
  /** Multiplies the Kaiming initial kernel. Default 1. */
  readonly initScale?: number;
  /** λ of the naive L1 penalty λ‖W‖₁ (`'l1'`); absent: a plain dense layer. */
  readonly l1?: number;
  readonly name: string;
}

/**
 * The baselines' first layer: a Kaiming-initialized dense kernel [genes, width], plain (`'dense'`,
 * decayed like the other layers) or with the naive L1 penalty λ‖W‖₁ (`'l1'`, trained by
 * subgradient, so its zeros are not exact).
 *
 * @example
 * ```ts
 * const first = denseInput({ genes: 2000, width: 1024, seed: 0, l1: 1e-3, name: 'net/first/kernel' });
 * first.penalty(); // λ‖W‖₁
 * ```
 */
export function denseInput(spec: DenseInputSpec): GeneInputLayer {
  const initial = tf.tidy(() =>
    tf.mul(kaiming([spec.genes, spec.width], spec.genes, spec.seed), spec.initScale ?? 1),
  );
  const kernel = tf.variable(initial, true, spec.name);
  initial.dispose();
  return new DenseInput(kernel, spec.l1);
}

class DenseInput implements GeneInputLayer {
  readonly kind: 'dense' | 'l1';
  readonly shape: readonly [number, number];
  readonly variables: readonly tf.Variable[];
  collapsedAt: number | undefined;

  constructor(
    private readonly kernel: tf.Variable,
    private readonly lambda: number | undefined,
  ) {
    this.kind = lambda === undefined ? 'dense' : 'l1';
    this.shape = [kernel.shape[0] as number, kernel.shape[1] as number];
    this.variables = [kernel];
  }

  value(): tf.Tensor2D {
    return tf.tidy(() => {
      const t = this.collapsedAt;
      if (t === undefined) return tf.clone(this.kernel) as tf.Tensor2D;
      const keep = tf.expandDims(tf.greater(euclideanRowNorms(this.kernel), t), 1);
      return tf.where(
        tf.broadcastTo(keep, [...this.shape]),
        this.kernel,
        tf.zerosLike(this.kernel),
      );
    }) as tf.Tensor2D;
  }

  penalty(): tf.Scalar {
    return tf.tidy(() =>
      this.lambda === undefined
        ? tf.scalar(0)
        : (tf.mul(this.lambda, tf.sum(tf.abs(this.kernel))) as tf.Scalar),
    );
  }

  groupNorms(): tf.Tensor1D {
    return tf.tidy(() => euclideanRowNorms(this.value()));
  }

  geneWeights(): tf.Tensor1D {
    return this.groupNorms();
  }

  collapse(threshold: number): void {
    if (!(Number.isFinite(threshold) && threshold >= 0))
      throw new SpredInputError(`threshold must be a finite number ≥ 0, got ${String(threshold)}`);
    this.collapsedAt = Math.max(this.collapsedAt ?? 0, threshold);
  }

  dispose(): void {
    this.kernel.dispose();
  }
}
