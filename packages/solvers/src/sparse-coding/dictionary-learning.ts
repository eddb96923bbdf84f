import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError, hadamard } from '@spred/core';
import { GroupedOptimizer, epochPermutation, lbfgs, mulberry32 } from '@spred/optim';

/** Options of {@link DictionaryLearning}. */
export interface DictionaryLearningOptions {
  /** Number of atoms k. */
  readonly nAtoms: number;
  /** α in the per-sample objective ½‖x − Bs‖² + α‖s‖₁ (scikit-learn's `alpha`); spred's κ = α/2. */
  readonly alpha: number;
  /** Default 10. */
  readonly epochs?: number;
  /** Patches per mini-batch. Default 256. */
  readonly batchSize?: number;
  /** Adam steps on a batch's codes before each dictionary step. Default 20. */
  readonly codeSteps?: number;
  /** Default 0.05. */
  readonly codeLearningRate?: number;
  /** Adam rate of the dictionary (its columns are renormalized after every step). Default 0.01. */
  readonly dictionaryLearningRate?: number;
  /**
   * How the scale ambiguity BS = (BD)(D⁻¹S) is fixed. 'dictionary' (default): unit-norm atoms
   * (columns of B projected after every step). 'codes' (the paper's trick): atoms are free, and
   * after every epoch each row of S is rescaled to unit RMS over the patches, the atom taking the
   * inverse factor, so that BS — and the fit — is unchanged.
   */
  readonly normalization?: 'dictionary' | 'codes';
  /** Codes with |s| at most this are exact zeros in the reported sparsity and `codes`. Default 1e-3. */
  readonly zeroThreshold?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (record: DictionaryEpoch) => void;
}

/** One epoch of a dictionary-learning run. */
export interface DictionaryEpoch {
  readonly epoch: number;
  /** mean over patches of ½‖x − Bs‖² + α‖s‖₁. */
  readonly objective: number;
  /** mean over patches of ‖x − Bs‖² / ‖x‖². */
  readonly reconstructionError: number;
  /** Share of exact zeros in the training codes (after the threshold). */
  readonly codeSparsity: number;
  readonly seconds: number;
}

/**
 * Sparse coding / dictionary learning (Olshausen & Field) the spred way: min over a dictionary B
 * (d × k, unit-norm columns) and codes S of Σ_i ½‖x_i − B s_i‖² + α‖s_i‖₁, with every code a
 * Hadamard product s = u ⊙ w penalized by (α/2)(‖u‖² + ‖w‖²). Codes are trained by Adam on
 * mini-batches (warm-started from the previous epoch), the dictionary by Adam with its columns
 * projected back to the unit sphere. `transform` encodes new data with the dictionary fixed.
 *
 * @example
 * ```ts
 * const dl = await new DictionaryLearning({ nAtoms: 256, alpha: 0.5, epochs: 10 }).fit({ rows: N, cols: 256, values: patches });
 * dl.components; // k atoms of d values
 * ```
 */
export class DictionaryLearning {
  /** k × d, row-major: atom a is `components[a*d … a*d + d)`. */
  components: Float32Array = new Float32Array(0);
  /** N × k training codes (exact zeros below `zeroThreshold`). */
  codes: Float32Array = new Float32Array(0);
  history: DictionaryEpoch[] = [];
  stopReason: 'epochs' | 'aborted' = 'epochs';

  constructor(readonly options: DictionaryLearningOptions) {
    const { nAtoms, alpha } = options;
    if (!Number.isInteger(nAtoms) || nAtoms < 1)
      throw new SpredInputError(`nAtoms must be a positive integer, got ${String(nAtoms)}`);
    if (!(Number.isFinite(alpha) && alpha > 0))
      throw new SpredInputError(`alpha must be positive, got ${String(alpha)}`);
  }

  /** Learns the dictionary from row-major patches (N × d). Resolves when done or aborted (keeping what was learned). */
  async fit(x: { rows: number; cols: number; values: Float32Array | Float64Array }): Promise<this> {
    const { rows: n, cols: d, values } = x;
    const k = this.options.nAtoms;
    if (values.length !== n * d)
      throw new SpredInputError(`patches have ${values.length} values, expected ${n} × ${d}`);
    for (let i = 0; i < values.length; i++)
      if (!Number.isFinite(values[i] as number))
        throw new SpredInputError(`patch ${Math.floor(i / d)} has a non-finite value`);
    const epochs = this.options.epochs ?? 10;
    const batchSize = Math.min(this.options.batchSize ?? 256, n);
    const codeSteps = this.options.codeSteps ?? 20;
    const alpha = this.options.alpha;
    const seed = this.options.seed ?? 0;
    const threshold = this.options.zeroThreshold ?? 1e-3;
    const data = tf.tensor2d(Float32Array.from(values), [n, d]);
    const dictionary = tf.variable(initialDictionary(values, n, d, k, seed));
    const dictionaryOptimizer = new GroupedOptimizer(
      { kind: 'adam', learningRate: this.options.dictionaryLearningRate ?? 0.01 },
      [{ variables: [dictionary] }],
    );
    // Factors of every training code, kept between epochs (u = 1, w = 0: s = 0 but not the saddle).
    const uStore = new Float32Array(n * k).fill(1);
    const wStore = new Float32Array(n * k);
    const started = performance.now();
    this.history = [];
    this.stopReason = 'epochs';
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        const order = epochPermutation(n, seed, epoch);
        for (let start = 0; start < n; start += batchSize) {
          if (this.options.signal?.aborted === true) {
            this.stopReason = 'aborted';
            break;
          }
          const rows = order.subarray(start, Math.min(n, start + batchSize));
          this.trainBatch(
            data,
            dictionary,
            dictionaryOptimizer,
            uStore,
            wStore,
            rows,
            k,
            alpha,
            codeSteps,
          );
          // Let the event loop run (progress output, Ctrl-C) between batches.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (this.options.normalization === 'codes')
          normalizeCodeRows(dictionary, uStore, wStore, n, k);
        const record = {
          epoch: epoch + 1,
          ...this.evaluate(data, dictionary, uStore, wStore, alpha, threshold),
          seconds: (performance.now() - started) / 1000,
        };
        this.history.push(record);
        this.options.onEpoch?.(record);
        if (this.stopReason === 'aborted') break;
      }
      this.components = transposeToAtoms(dictionary.dataSync() as Float32Array, d, k);
      this.codes = Float32Array.from(uStore, (u, i) => {
        const s = u * (wStore[i] as number);
        return Math.abs(s) <= threshold ? 0 : s;
      });
    } finally {
      dictionaryOptimizer.dispose();
      tf.dispose([data, dictionary]);
    }
    return this;
  }

  private trainBatch(
    data: tf.Tensor2D,
    dictionary: tf.Variable,
    dictionaryOptimizer: GroupedOptimizer,
    uStore: Float32Array,
    wStore: Float32Array,
    rows: Int32Array,
    k: number,
    alpha: number,
    codeSteps: number,
  ): void {
    const b = rows.length;
    const gatherRows = (store: Float32Array) => {
      const out = new Float32Array(b * k);
      rows.forEach((r, i) => out.set(store.subarray(r * k, r * k + k), i * k));
      return out;
    };
    // The batch's codes as a @spred/core parametrization, its factors restored from the store.
    const codes = hadamard([b, k], { kappa: alpha / 2 });
    const [u, w] = codes.variables as [tf.Variable, tf.Variable];
    tf.tidy(() => {
      u.assign(tf.tensor2d(gatherRows(uStore), [b, k]));
      w.assign(tf.tensor2d(gatherRows(wStore), [b, k]));
    });
    const index = tf.tensor1d(rows, 'int32');
    const xb = tf.gather(data, index);
    const loss = () =>
      tf.tidy(() => {
        const residual = tf.sub(xb, tf.matMul(codes.value(), dictionary, false, true));
        return tf.div(
          tf.add(tf.mul(0.5, tf.sum(tf.square(residual))), codes.penalty()),
          b,
        ) as tf.Scalar;
      });
    const codeOptimizer = new GroupedOptimizer(
      { kind: 'adam', learningRate: this.options.codeLearningRate ?? 0.05 },
      [{ variables: [u, w] }],
    );
    try {
      for (let step = 0; step < codeSteps; step++) codeOptimizer.step(loss);
      dictionaryOptimizer.step(loss);
      if ((this.options.normalization ?? 'dictionary') === 'dictionary') {
        tf.tidy(() => {
          const norms = tf.maximum(tf.sqrt(tf.sum(tf.square(dictionary), 0, true)), 1e-12);
          dictionary.assign(tf.div(dictionary, norms));
        });
      }
      const uValues = u.dataSync();
      const wValues = w.dataSync();
      rows.forEach((r, i) => {
        uStore.set(uValues.subarray(i * k, i * k + k), r * k);
        wStore.set(wValues.subarray(i * k, i * k + k), r * k);
      });
    } finally {
      codeOptimizer.dispose();
      codes.dispose();
      tf.dispose([index, xb]);
    }
  }

  private evaluate(
    data: tf.Tensor2D,
    dictionary: tf.Variable,
    uStore: Float32Array,
    wStore: Float32Array,
    alpha: number,
    threshold: number,
  ) {
    const n = data.shape[0];
    const k = this.options.nAtoms;
    const codes = Float32Array.from(uStore, (u, i) => u * (wStore[i] as number));
    let zeros = 0;
    let l1 = 0;
    for (const s of codes) {
      if (Math.abs(s) <= threshold) zeros++;
      l1 += Math.abs(s);
    }
    const [fit, relative] = tf.tidy(() => {
      const s = tf.tensor2d(codes, [n, k]);
      const residual = tf.sum(tf.square(tf.sub(data, tf.matMul(s, dictionary, false, true))), 1);
      const energy = tf.maximum(tf.sum(tf.square(data), 1), 1e-12);
      return [
        tf.sum(residual).dataSync()[0] as number,
        tf.mean(tf.div(residual, energy)).dataSync()[0] as number,
      ];
    });
    return {
      objective: (0.5 * fit + alpha * l1) / n,
      reconstructionError: relative,
      codeSparsity: zeros / codes.length,
    };
  }

  /**
   * Codes of new patches (N × d, row-major) with the dictionary fixed: for each patch the lasso
   * min ½‖x − Bs‖² + α‖s‖₁, solved by spred (L-BFGS on s = u ⊙ w, all patches at once).
   * Returns N × k codes with exact zeros below `zeroThreshold`.
   */
  transform(
    x: { rows: number; cols: number; values: Float32Array | Float64Array },
    options: { gradientTolerance?: number; maxIterations?: number } = {},
  ): Float32Array {
    const k = this.options.nAtoms;
    const d = this.components.length / k;
    if (d === 0)
      throw new SpredInputError(
        'DictionaryLearning is not fitted yet: call fit first (or set components)',
      );
    if (x.cols !== d)
      throw new SpredInputError(`patches have ${x.cols} values but the atoms have ${d}`);
    const n = x.rows;
    const alpha = this.options.alpha;
    const xt = tf.tensor2d(Float32Array.from(x.values), [n, d]);
    const atoms = tf.tensor2d(this.components, [k, d]);
    const codes = hadamard([n, k], { kappa: alpha / 2, seed: this.options.seed ?? 0 });
    codes.assign(new Float32Array(n * k), { factorization: 'unit-scales' });
    try {
      lbfgs(
        () =>
          tf.tidy(
            () =>
              tf.add(
                tf.mul(0.5, tf.sum(tf.square(tf.sub(xt, tf.matMul(codes.value(), atoms))))),
                codes.penalty(),
              ) as tf.Scalar,
          ),
        codes.variables,
        {
          gradientTolerance: options.gradientTolerance ?? 1e-6,
          maxIterations: options.maxIterations ?? 2000,
        },
      );
      const threshold = this.options.zeroThreshold ?? 1e-3;
      const collapsed = codes.collapse({ threshold });
      const out = collapsed.dataSync() as Float32Array;
      collapsed.dispose();
      return Float32Array.from(out);
    } finally {
      tf.dispose([xt, atoms]);
      codes.dispose();
    }
  }
}

/** k random patches (seeded), normalized, as the d × k starting dictionary. */
function initialDictionary(
  values: Float32Array | Float64Array,
  n: number,
  d: number,
  k: number,
  seed: number,
): tf.Tensor2D {
  const random = mulberry32(seed + 7919);
  const b = new Float32Array(d * k);
  for (let a = 0; a < k; a++) {
    const p = Math.floor(random() * n);
    let norm = 0;
    for (let i = 0; i < d; i++) norm += (values[p * d + i] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < d; i++)
      b[i * k + a] = ((values[p * d + i] as number) + 1e-3 * (random() - 0.5)) / norm;
  }
  return tf.tensor2d(b, [d, k]);
}

function transposeToAtoms(b: Float32Array, d: number, k: number): Float32Array {
  const out = new Float32Array(k * d);
  for (let i = 0; i < d; i++) for (let a = 0; a < k; a++) out[a * d + i] = b[i * k + a] as number;
  return out;
}

/**
 * Rescales row a of S (atom a's codes over all patches) to unit RMS and multiplies atom a by the
 * same factor: BS is unchanged. The factor is split evenly between u and w, keeping their balance.
 */
function normalizeCodeRows(
  dictionary: tf.Variable,
  uStore: Float32Array,
  wStore: Float32Array,
  n: number,
  k: number,
): void {
  const factors = new Float32Array(k).fill(1);
  for (let a = 0; a < k; a++) {
    let ss = 0;
    for (let i = 0; i < n; i++)
      ss += ((uStore[i * k + a] as number) * (wStore[i * k + a] as number)) ** 2;
    const rms = Math.sqrt(ss / n);
    if (!(rms > 0)) continue;
    factors[a] = rms;
    const f = 1 / Math.sqrt(rms);
    for (let i = 0; i < n; i++) {
      uStore[i * k + a] = (uStore[i * k + a] as number) * f;
      wStore[i * k + a] = (wStore[i * k + a] as number) * f;
    }
  }
  tf.tidy(() => dictionary.assign(tf.mul(dictionary, tf.tensor2d(factors, [1, k]))));
}
