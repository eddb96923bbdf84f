import * as tf from '@tensorflow/tfjs-core';
import { checkAlpha } from '../penalties/check-alpha.js';
import { SpredInputError, hadamard, l1Term, type Reparametrization } from '@spredjs/core';
import {
  GroupedOptimizer,
  inverseTimeSchedule,
  mulberry32,
  polishTerms,
  train,
  type LearningRateSchedule,
} from '@spredjs/optim';
import {
  gramSparseCodingObjective,
  certifiedLassoCodes,
  residualEnergy,
  sparseCodingObjective,
} from './sparse-coding-objective.js';

/** Patches seen over which the default dictionary rate halves (see `dictionarySchedule`). */
const DICTIONARY_DECAY_PATCHES = 20_000;

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
  /** Adam steps on a batch's codes before each dictionary step. Default 10. */
  readonly codeSteps?: number;
  /**
   * Adam rate of the codes' factors. Default 0.2: with 10 steps it reached a lower held-out
   * objective at equal time (30 s, 20,000 16×16 photo patches, α = 1) than 20 steps at 0.1
   * (k = 64: 44.1 vs 44.6; k = 256: 38.1 vs 38.7; measured while the dictionary rate was a
   * constant 0.005).
   */
  readonly codeLearningRate?: number;
  /**
   * Adam rate of the dictionary at the first epoch (its columns are renormalized after every
   * step). Default 0.03, under the default {@link DictionaryLearningOptions.dictionarySchedule}.
   */
  readonly dictionaryLearningRate?: number;
  /**
   * The dictionary rate's factor per epoch. Default rate/(1 + t/20,000) with t the patches seen
   * (`inverseTimeSchedule({ decay: N/20000 })` for N patches): Adam's steps have a noise floor
   * near the rate, which a constant rate leaves in the atoms' backgrounds. Measured at equal time
   * (30 s, 20,000 16×16 photo patches, α = 1, k = 256): held-out objective 36.9 with 0.03 decayed
   * so, 37.5 at a constant 0.005 (the best constant rate), 37.2 with 0.01/√(1 + epoch).
   */
  readonly dictionarySchedule?: LearningRateSchedule;
  /**
   * How the scale ambiguity BS = (BD)(D⁻¹S) is fixed. 'dictionary' (default): unit-norm atoms
   * (columns of B projected after every step). 'codes' (the paper's trick): atoms are free, and
   * after every epoch each row of S is rescaled to unit RMS over the patches, the atom taking the
   * inverse factor, so that BS — and the fit — is unchanged.
   */
  readonly normalization?: 'dictionary' | 'codes';
  /**
   * The read-out's tolerance: a code entry is an exact zero when its lasso zero test,
   * |∂/∂s_j ½‖x − Bs‖²| ≤ α(1 + zeroTol), holds where every zeroed entry is zero. Default 1e-3.
   */
  readonly zeroTol?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  /**
   * Wall-time budget in seconds: training stops at the first mini-batch boundary after it (the
   * dictionary keeps what it learned, `stopReason` is 'max-seconds'). Default: no limit.
   */
  readonly maxSeconds?: number;
  readonly onEpoch?: (record: DictionaryEpoch) => void;
}

/** One epoch of a dictionary-learning run. */
export interface DictionaryEpoch {
  readonly epoch: number;
  /** mean over patches of ½‖x − Bs‖² + α‖s‖₁, of the read-out training codes (see `codes`). */
  readonly objective: number;
  /** mean over patches of ‖x − Bs‖² / ‖x‖². */
  readonly reconstructionError: number;
  /** Share of exact zeros in the read-out training codes (see `codes`), each one certified. */
  readonly codeSparsity: number;
  readonly seconds: number;
}

/**
 * Sparse coding / dictionary learning (Olshausen & Field) the spred way: min over a dictionary B
 * (d × k, unit-norm columns) and codes S of Σ_i ½‖x_i − B s_i‖² + α‖s_i‖₁, with every code a
 * Hadamard product s = u ⊙ w penalized by (α/2)(‖u‖² + ‖w‖²). Codes are trained by Adam on
 * mini-batches (warm-started from the previous epoch, through the Gram form of the objective),
 * the dictionary by Adam at a decaying rate with its columns projected back to the unit sphere,
 * all through `@spredjs/optim`'s `train()`. The reported codes are the factors' certified read-out
 * (exact zeros exactly where the lasso's zero test holds, `certifiedLassoCodes`). `transform`
 * encodes new data with the dictionary fixed: each patch's lasso solved exactly by `polish`. Both
 * read tensors only through `await data()`, so they run on every backend, WebGPU in Node included.
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
  /**
   * N × k training codes, read out from spred's factors: exactly zero where the lasso's zero test
   * holds at the read-out point (`certifiedLassoCodes`), as they are elsewhere.
   */
  codes: Float32Array = new Float32Array(0);
  history: DictionaryEpoch[] = [];
  /**
   * 'non-finite': a NaN/Inf objective stopped training (the dictionary keeps its last state);
   * 'max-seconds': the `maxSeconds` budget was spent.
   */
  stopReason: 'epochs' | 'aborted' | 'non-finite' | 'max-seconds' = 'epochs';

  constructor(readonly options: DictionaryLearningOptions) {
    const { nAtoms, alpha } = options;
    if (!Number.isInteger(nAtoms) || nAtoms < 1)
      throw new SpredInputError(`nAtoms must be a positive integer, got ${String(nAtoms)}`);
    checkAlpha(alpha);
    const { maxSeconds } = options;
    if (maxSeconds !== undefined && !(maxSeconds > 0))
      throw new SpredInputError(`maxSeconds must be a positive number, got ${String(maxSeconds)}`);
  }

  /** Learns the dictionary from row-major patches (N × d). Resolves when done or aborted (keeping what was learned). */
  async fit(x: PatchMatrix): Promise<this> {
    const { rows: n, cols: d, values } = x;
    const k = this.options.nAtoms;
    if (values.length !== n * d)
      throw new SpredInputError(`patches have ${values.length} values, expected ${n} × ${d}`);
    for (let i = 0; i < values.length; i++)
      if (!Number.isFinite(values[i] as number))
        throw new SpredInputError(`patch ${Math.floor(i / d)} has a non-finite value`);
    const epochs = this.options.epochs ?? 10;
    const alpha = this.options.alpha;
    const seed = this.options.seed ?? 0;
    const zeroTol = this.options.zeroTol ?? 1e-3;
    const data = tf.tensor2d(Float32Array.from(values), [n, d]);
    // Each batch carries its patches' row numbers, to find their codes in the store.
    const rowNumbers = tf.range(0, n, 1, 'int32');
    // tidy frees the initial tensor the variable copies (it used to leak).
    const dictionary = tf.tidy(() => tf.variable(initialDictionary(values, n, d, k, seed)));
    const dictionaryOptimizer = new GroupedOptimizer(
      { kind: 'adam', learningRate: this.options.dictionaryLearningRate ?? 0.03 },
      [{ variables: [dictionary] }],
    );
    // Factors of every training code, kept between epochs (u = 1, w = 0: s = 0 but not the saddle).
    const store: CodeStore = {
      u: new Float32Array(n * k).fill(1),
      w: new Float32Array(n * k),
      k,
      parametrizations: new Map(),
    };
    const started = performance.now();
    this.history = [];
    this.stopReason = 'epochs';
    // One signal for train(): the caller's, or the time budget running out.
    const stop = new AbortController();
    const { signal: callerSignal, maxSeconds } = this.options;
    const onCallerAbort = () => stop.abort();
    if (callerSignal?.aborted === true) stop.abort();
    callerSignal?.addEventListener('abort', onCallerAbort);
    let outOfTime = false;
    const timer =
      maxSeconds === undefined
        ? undefined
        : setTimeout(() => {
            outOfTime = true;
            stop.abort();
          }, maxSeconds * 1000);
    // The read-out codes of the last evaluation, while no batch has changed the codes or the
    // dictionary since: the final `codes` need not be read out again.
    let readOut: Float32Array | undefined;
    const endEpoch = async (epoch: number) => {
      if (this.options.normalization === 'codes') normalizeCodeRows(dictionary, store, n);
      const { codes, ...measures } = await this.evaluate(data, dictionary, store, alpha, zeroTol);
      readOut = codes;
      const record = { epoch, ...measures, seconds: (performance.now() - started) / 1000 };
      this.history.push(record);
      this.options.onEpoch?.(record);
    };
    try {
      // Alternating minimization on mini-batches: the batch transform solves the batch's codes
      // with the dictionary fixed, then the loop takes one dictionary step with the codes fixed.
      const result = await train({
        optimizer: dictionaryOptimizer,
        data: [data, rowNumbers],
        batchSize: Math.min(this.options.batchSize ?? 256, n),
        epochs,
        seed,
        keepLastFinite: false,
        schedule:
          this.options.dictionarySchedule ??
          inverseTimeSchedule({ decay: n / DICTIONARY_DECAY_PATCHES }),
        transformBatch: async ([xb, rows]) => {
          readOut = undefined;
          return this.encodeBatch(xb as tf.Tensor2D, rows as tf.Tensor1D, dictionary, store);
        },
        loss: ([xb, codes, penalty]) =>
          tf.div(
            sparseCodingObjective(xb!, codes!, dictionary, penalty as tf.Scalar),
            xb!.shape[0] as number,
          ) as tf.Scalar,
        afterStep: async ({ epoch, batch, batches }) => {
          if ((this.options.normalization ?? 'dictionary') === 'dictionary') {
            tf.tidy(() => {
              const norms = tf.maximum(tf.sqrt(tf.sum(tf.square(dictionary), 0, true)), 1e-12);
              dictionary.assign(tf.div(dictionary, norms));
            });
          }
          // The epoch ends here rather than in train's (synchronous) onEpoch, so that its
          // evaluation can be awaited; nothing changes the dictionary or the codes in between.
          if (batch === batches) await endEpoch(epoch);
          // Let the event loop run (progress output, Ctrl-C) between batches.
          await new Promise((resolve) => setImmediate(resolve));
        },
        signal: stop.signal,
      });
      if (result.stopReason === 'aborted' || result.stopReason === 'non-finite') {
        this.stopReason =
          result.stopReason === 'aborted' && outOfTime && callerSignal?.aborted !== true
            ? 'max-seconds'
            : result.stopReason;
        // The epoch it stopped in counts, with what it learned so far.
        if (result.epochs < epochs) await endEpoch(result.epochs + 1);
      }
      this.components = transposeToAtoms((await dictionary.data()) as Float32Array, d, k);
      this.codes = readOut ?? (await this.readCodes(data, dictionary, store, zeroTol));
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      dictionaryOptimizer.dispose();
      for (const codes of store.parametrizations.values()) codes.dispose();
      tf.dispose([data, rowNumbers, dictionary]);
    }
    return this;
  }

  /**
   * The codes of one batch with the dictionary fixed: `codeSteps` Adam steps on the spred factors
   * of its codes (warm-started from the store, and written back to it). Returns the batch, its
   * codes S = U ⊙ W and their penalty, for the dictionary step.
   */
  private async encodeBatch(
    xb: tf.Tensor2D,
    rowTensor: tf.Tensor1D,
    dictionary: tf.Variable,
    store: CodeStore,
  ): Promise<tf.Tensor[]> {
    const rows = (await rowTensor.data()) as Int32Array;
    const { k } = store;
    const b = rows.length;
    const gatherRows = (values: Float32Array) => {
      const out = new Float32Array(b * k);
      rows.forEach((r, i) => out.set(values.subarray(r * k, r * k + k), i * k));
      return out;
    };
    // The batch's codes as a @spredjs/core parametrization (one per batch size, reused: only its
    // factors change), restored from the store.
    let codes = store.parametrizations.get(b);
    if (codes === undefined) {
      codes = hadamard([b, k], { kappa: this.options.alpha / 2 });
      store.parametrizations.set(b, codes);
    }
    const [u, w] = codes.variables as [tf.Variable, tf.Variable];
    tf.tidy(() => {
      u.assign(tf.tensor2d(gatherRows(store.u), [b, k]));
      w.assign(tf.tensor2d(gatherRows(store.w), [b, k]));
    });
    // spred's penalty (α/2)(‖U‖² + ‖W‖²) of the mean objective is folded into Adam's pass as
    // the coupled L2 term λ = α/b, so the loss below is the data term alone.
    const codeOptimizer = new GroupedOptimizer(
      { kind: 'adam', learningRate: this.options.codeLearningRate ?? 0.2 },
      [{ variables: [u, w], l2: this.options.alpha / b }],
    );
    // The dictionary is fixed while the codes train: the Gram form of the objective, one n·k²
    // product a step (value and gradient) instead of two n·d·k ones.
    const gram = tf.matMul(dictionary, dictionary, true, false) as tf.Tensor2D;
    const correlations = tf.matMul(xb, dictionary) as tf.Tensor2D;
    const energy = tf.tidy(() => tf.sum(tf.square(xb))) as tf.Scalar;
    const zero = tf.scalar(0);
    try {
      await train({
        optimizer: codeOptimizer,
        epochs: this.options.codeSteps ?? 10,
        keepLastFinite: false,
        loss: () =>
          tf.div(
            gramSparseCodingObjective(gram, correlations, energy, codes.value(), zero),
            b,
          ) as tf.Scalar,
      });
      const uValues = (await u.data()) as Float32Array;
      const wValues = (await w.data()) as Float32Array;
      rows.forEach((r, i) => {
        store.u.set(uValues.subarray(i * k, i * k + k), r * k);
        store.w.set(wValues.subarray(i * k, i * k + k), r * k);
      });
      return [xb, codes.value(), codes.penalty()];
    } finally {
      tf.dispose([gram, correlations, energy, zero]);
      codeOptimizer.dispose();
    }
  }

  /** The training codes U ⊙ W with their certified zeros ({@link certifiedLassoCodes}). */
  private async readCodes(
    data: tf.Tensor2D,
    dictionary: tf.Variable,
    store: CodeStore,
    zeroTol: number,
  ): Promise<Float32Array> {
    const n = data.shape[0];
    const { k } = store;
    const product = new Float32Array(n * k);
    for (let i = 0; i < product.length; i++)
      product[i] = (store.u[i] as number) * (store.w[i] as number);
    const [codes, gram, correlations] = tf.tidy(() => [
      tf.tensor2d(product, [n, k]),
      tf.matMul(dictionary, dictionary, true, false) as tf.Tensor2D,
      tf.matMul(data, dictionary) as tf.Tensor2D,
    ]) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    try {
      const certified = await certifiedLassoCodes(
        codes,
        gram,
        correlations,
        this.options.alpha,
        zeroTol,
      );
      const values = (await certified.codes.data()) as Float32Array;
      certified.codes.dispose();
      return values;
    } finally {
      tf.dispose([codes, gram, correlations]);
    }
  }

  /** The epoch's measures of the read-out codes ({@link readCodes}), and those codes. */
  private async evaluate(
    data: tf.Tensor2D,
    dictionary: tf.Variable,
    store: CodeStore,
    alpha: number,
    zeroTol: number,
  ) {
    const n = data.shape[0];
    const k = this.options.nAtoms;
    const codes = await this.readCodes(data, dictionary, store, zeroTol);
    let zeros = 0;
    for (const s of codes) if (s === 0) zeros++;
    const measures = tf.tidy(() => {
      const s = tf.tensor2d(codes, [n, k]);
      const l1 = tf.mul(alpha, tf.sum(tf.abs(s)));
      const energy = tf.maximum(tf.sum(tf.square(data), 1), 1e-12);
      const residuals = residualEnergy(data, s, dictionary);
      return tf.stack([
        tf.add(tf.mul(0.5, tf.sum(residuals)), l1),
        tf.mean(tf.div(residuals, energy)),
      ]);
    });
    const [objective, relative] = (await measures.data()) as unknown as [number, number];
    measures.dispose();
    return {
      objective: objective / n,
      reconstructionError: relative,
      codeSparsity: zeros / codes.length,
      codes,
    };
  }

  /**
   * Codes of new patches (N × d, row-major) with the dictionary fixed: for each patch the lasso
   * min ½‖x − Bs‖² + α‖s‖₁, solved by `polish` (orthant-wise L-BFGS on S itself, all patches at
   * once) until its stationarity certificate holds within `tol`: exact zeros, exact answer.
   * Reads only with `await data()`.
   *
   * @example
   * ```ts
   * const codes = await dl.transform({ rows: m, cols: d, values: newPatches }); // m × k
   * ```
   */
  async transform(x: PatchMatrix, options: TransformOptions = {}): Promise<Float32Array> {
    const k = this.options.nAtoms;
    const d = this.components.length / k;
    if (d === 0)
      throw new SpredInputError(
        'DictionaryLearning is not fitted yet: call fit first (or set components)',
      );
    if (x.cols !== d)
      throw new SpredInputError(`patches have ${x.cols} values but the atoms have ${d}`);
    const n = x.rows;
    const [gram, correlations, energy] = tf.tidy(() => {
      const xt = tf.tensor2d(Float32Array.from(x.values), [n, d]);
      const dictionary = tf.transpose(tf.tensor2d(this.components, [k, d]));
      return [
        tf.matMul(dictionary, dictionary, true, false),
        tf.matMul(xt, dictionary),
        tf.sum(tf.square(xt)),
      ];
    }) as [tf.Tensor2D, tf.Tensor2D, tf.Scalar];
    const codes = tf.variable(tf.zeros([n, k]));
    const zero = tf.scalar(0);
    try {
      await polishTerms(
        [l1Term(codes, { kappa: this.options.alpha / 2, name: 'codes' })],
        () => gramSparseCodingObjective(gram, correlations, energy, codes, zero),
        {
          ...(options.tol === undefined ? {} : { tol: options.tol }),
          maxIterations: options.maxIterations ?? 2000,
        },
      );
      return (await codes.data()) as Float32Array;
    } finally {
      tf.dispose([gram, correlations, energy, codes, zero]);
    }
  }
}

/** Row-major patches (N × d), as {@link DictionaryLearning.fit} and `transform` take them. */
export interface PatchMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float32Array | Float64Array;
}

/** Options of {@link DictionaryLearning.transform}: when `polish` stops. */
export interface TransformOptions {
  /** The certificate's tolerance, relative to α. Default 1e-3. */
  readonly tol?: number;
  /** Default 2000. */
  readonly maxIterations?: number;
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

/** The spred factors U, W (N × k, row-major) of every training code, kept between batches. */
interface CodeStore {
  readonly u: Float32Array;
  readonly w: Float32Array;
  readonly k: number;
  /** The batches' code parametrizations, one per batch size. */
  readonly parametrizations: Map<number, Reparametrization>;
}

/**
 * Rescales row a of S (atom a's codes over all patches) to unit RMS and multiplies atom a by the
 * same factor: BS is unchanged. The factor is split evenly between u and w, keeping their balance.
 */
function normalizeCodeRows(dictionary: tf.Variable, store: CodeStore, n: number): void {
  const { u: uStore, w: wStore, k } = store;
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
