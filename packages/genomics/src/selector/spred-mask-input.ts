import * as tf from '@tensorflow/tfjs-core';
import { grouped, SpredInputError, type Reparametrization } from '@spredjs/core';
import type { GeneInputLayer } from './gene-input-layer.js';
import { euclideanRowNorms, newGeneMask, remapRows } from './working-set.js';

/** What {@link spredMaskInput} builds. */
export interface SpredMaskSpec {
  readonly genes: number;
  readonly width: number;
  readonly kappa: number;
  readonly seed: number;
  /** Default `'balanced-sqrt'` (see `GeneNetworkSpec.init`). */
  readonly init?: 'balanced-sqrt' | 'kaiming-unit';
  /** Multiplies the initial V (each factor by its square root). Default 1. */
  readonly initScale?: number;
  readonly name: string;
}

/**
 * The paper's first layer: `grouped([genes, width], { axis: 0 })` from `@spredjs/core`, one scale
 * u_i per gene over the concatenated first-layer weights of every head, so its smooth penalty
 * κ(Σu_i² + ‖W‖²) is the group lasso 2κ Σ_i ‖V_i‖ on genes. Row norms and the final threshold are
 * core's `groupNorms()` and `collapse()`.
 *
 * @example
 * ```ts
 * const mask = spredMaskInput({ genes: 2000, width: 66, kappa: 0.3, seed: 0, name: 'net/mask' });
 * mask.collapse(1e-3); // rows with ‖V_i‖ ≤ 1e-3 are exact zeros
 * ```
 */
export function spredMaskInput(spec: SpredMaskSpec): GeneInputLayer {
  const mask = grouped([spec.genes, spec.width], {
    axis: 0,
    kappa: spec.kappa,
    init: spec.init ?? 'balanced-sqrt',
    seed: spec.seed,
    name: spec.name,
  });
  const scale = Math.sqrt(spec.initScale ?? 1);
  if (scale !== 1) for (const v of mask.variables) tf.tidy(() => v.assign(tf.mul(v, scale)));
  return new SpredMaskInput(mask, spec.kappa);
}

class SpredMaskInput implements GeneInputLayer {
  readonly kind = 'spred';
  readonly shape: readonly [number, number];
  collapsedAt: number | undefined;

  constructor(
    private readonly mask: Reparametrization,
    private readonly kappa: number,
  ) {
    this.shape = [mask.shape[0] as number, mask.shape[1] as number];
  }

  get variables(): readonly tf.Variable[] {
    return this.mask.variables;
  }

  value(): tf.Tensor2D {
    const t = this.collapsedAt;
    return (
      t === undefined ? this.mask.value() : this.mask.collapse({ threshold: t })
    ) as tf.Tensor2D;
  }

  penalty(): tf.Scalar {
    return this.mask.penalty();
  }

  groupNorms(): tf.Tensor1D {
    return tf.tidy(() => {
      const norms = tf.reshape(this.mask.groupNorms(), [-1]) as tf.Tensor1D;
      const t = this.collapsedAt;
      return t === undefined ? norms : tf.where(tf.greater(norms, t), norms, tf.zerosLike(norms));
    });
  }

  geneWeights(): tf.Tensor1D {
    return tf.tidy(() => tf.reshape(tf.abs(this.mask.variables[0] as tf.Variable), [-1]));
  }

  collapse(threshold: number): void {
    if (!(Number.isFinite(threshold) && threshold >= 0))
      throw new SpredInputError(`threshold must be a finite number ≥ 0, got ${String(threshold)}`);
    // Collapsing twice keeps the larger cut: the zeros of the first stay zeros.
    this.collapsedAt = Math.max(this.collapsedAt ?? 0, threshold);
  }

  readonly withGenes = (
    from: Int32Array,
    to: Int32Array,
    entering: tf.Tensor2D | undefined,
    name: string,
  ): GeneInputLayer => {
    const next = grouped([to.length, this.shape[1]], { axis: 0, kappa: this.kappa, name });
    tf.tidy(() => {
      const [u, w] = this.mask.variables as [tf.Variable, tf.Variable];
      let nextU = remapRows(u, from, to);
      let nextW = remapRows(w, from, to);
      if (entering !== undefined) {
        const isNew = newGeneMask(from, to);
        const scale = tf.sqrt(euclideanRowNorms(entering));
        const direction = tf.divNoNan(entering, tf.expandDims(scale, 1));
        nextU = tf.where(tf.reshape(isNew, nextU.shape), tf.reshape(scale, nextU.shape), nextU);
        nextW = tf.where(tf.expandDims(isNew, 1), direction, nextW);
      }
      const [nu, nw] = next.variables as [tf.Variable, tf.Variable];
      nu.assign(tf.reshape(nextU, nu.shape));
      nw.assign(nextW);
    });
    return new SpredMaskInput(next, this.kappa);
  };

  dispose(): void {
    this.mask.dispose();
  }
}
