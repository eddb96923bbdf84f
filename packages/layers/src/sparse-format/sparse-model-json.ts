/** The `format` of a compact sparse model's header, `model.spred.json`. */
export const SPARSE_MODEL_FORMAT = 'spred-sparse-model';
/** The header version this code writes and reads. */
export const SPARSE_MODEL_VERSION = 1;
/** The header's conventional file name; its weights file is named in it (`model.spred.bin`). */
export const SPARSE_MODEL_JSON_FILE = 'model.spred.json';
/** The weights file name {@link encodeSparseModel} writes into the header. */
export const SPARSE_MODEL_WEIGHTS_FILE = 'model.spred.bin';
/**
 * The most entries one tensor may have (2²⁸, 1 GiB as float32): a header promising more is
 * refused before anything is allocated.
 */
export const MAX_TENSOR_ENTRIES = 2 ** 28;
/** The highest tensor rank a header may state. */
export const MAX_TENSOR_RANK = 8;

/**
 * How a tensor's stored values are written: `'float16'` IEEE half precision (round to nearest
 * even; the default), `'uint8'` one byte per value under a per-tensor affine map
 * `value = offset + scale · q` over the stored (non-zero) values, `'float32'` the values
 * themselves (lossless, up to the sign of zero).
 *
 * @example
 * ```ts
 * const values: SparseValueEncoding = 'uint8';
 * const files = await encodeSparseModel(model, { values });
 * ```
 */
export type SparseValueEncoding = 'float16' | 'uint8' | 'float32';

/**
 * Where a tensor's stored values sit: `'dense'` every entry is stored, in row-major order, no
 * positions; `'bitmap'` one bit per entry (row-major, least significant bit first) marks the
 * stored ones; `'delta'` the gaps between successive stored flat indices as LEB128 unsigned
 * varints (the first gap is the first index). The positions come first, then the values.
 * {@link encodeSparseModel} picks whichever is smallest for each tensor.
 *
 * @example
 * ```ts
 * const { json } = await encodeSparseModel(model);
 * const kinds: SparsePositionEncoding[] = json.weights.map((w) => w.positions);
 * ```
 */
export type SparsePositionEncoding = 'dense' | 'bitmap' | 'delta';

/**
 * One tensor's entry in {@link SparseModelJson}'s `weights`: its name and shape, how its entries
 * are stored and where, in the weights file.
 *
 * @example
 * ```ts
 * const { json } = await encodeSparseModel(model);
 * const kernel: SparseWeightSpec | undefined = json.weights.find((w) => w.name === 'dense_1/kernel');
 * console.log(kernel?.positions, kernel?.nonzeros, kernel?.byteLength);
 * ```
 */
export interface SparseWeightSpec {
  /** The weight's name as tfjs saves it (`LayerVariable.originalName`, e.g. `dense_1/kernel`). */
  readonly name: string;
  readonly shape: readonly number[];
  readonly positions: SparsePositionEncoding;
  readonly values: SparseValueEncoding;
  /** Where the tensor's bytes start in the weights file. */
  readonly byteOffset: number;
  /** How many bytes the tensor takes there: positions, then values. */
  readonly byteLength: number;
  /**
   * For `'bitmap'` and `'delta'`, the number of stored entries (every other entry is exactly 0);
   * for `'dense'`, the number of entries whose decoded value is not 0.
   */
  readonly nonzeros: number;
  /** For `'uint8'` values: the step of the affine map `value = offset + scale · q`. */
  readonly scale?: number;
  /** For `'uint8'` values: the value of code 0 (the smallest stored value). */
  readonly offset?: number;
}

/**
 * The header of a compact sparse model (`model.spred.json`): the model's tfjs-layers topology
 * exactly as `model.toJSON(null, false)` gives it, and where each weight sits in the weights file,
 * in the order and under the names of tfjs's own weight specs (`model.weights`' `originalName`).
 *
 * @example
 * ```ts
 * const { json, weights } = await encodeSparseModel(model);
 * console.log(json.weights.map((w) => `${w.name}: ${w.positions}, ${w.nonzeros} non-zeros`));
 * ```
 */
export interface SparseModelJson {
  readonly format: typeof SPARSE_MODEL_FORMAT;
  readonly version: typeof SPARSE_MODEL_VERSION;
  /** The tfjs-layers topology (`ModelArtifacts.modelTopology` of `model.save`). */
  readonly modelTopology: { readonly [key: string]: unknown };
  /** The weights file's name, relative to the header (a plain file name, no folders). */
  readonly weightsFile: string;
  /** The weights file's length in bytes. */
  readonly byteLength: number;
  readonly weights: readonly SparseWeightSpec[];
}

/**
 * A compact sparse model in memory: its header and its weights file's bytes, as
 * {@link encodeSparseModel} returns them and {@link decodeSparseModel} takes them. Write `json`
 * with `JSON.stringify` to `model.spred.json` and `weights` to the file `json.weightsFile` names.
 *
 * @example
 * ```ts
 * const files: SparseModelFiles = await encodeSparseModel(model);
 * await writeFile('out/model.spred.json', JSON.stringify(files.json));
 * await writeFile(`out/${files.json.weightsFile}`, files.weights);
 * ```
 */
export interface SparseModelFiles {
  readonly json: SparseModelJson;
  readonly weights: Uint8Array;
}
