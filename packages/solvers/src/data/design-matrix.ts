import { SpredInputError } from '@spredjs/core/errors';

/**
 * A dense n × d matrix stored column-major in float64 — the layout coordinate descent and Xᵀr
 * products want. Build one with {@link toDesignMatrix}.
 */
export interface DesignMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Column-major: entry (i, j) is `data[j * rows + i]`. */
  readonly data: Float64Array;
  /**
   * The same matrix row-major (entry (i, j) at `rowMajor[i * cols + j]`), where it came that way
   * (an `.npy` file): passes over all of X (Xᵀr, Xw, a working set's columns) read it, and `data`
   * is transposed only when something asks for columns.
   */
  readonly rowMajor?: Float64Array;
}

/** A design over row-major float64 values (no copy; see {@link DesignMatrix.rowMajor}). */
export function rowMajorDesign(rows: number, cols: number, values: Float64Array): DesignMatrix {
  return new RowMajorDesign(rows, cols, values);
}

/**
 * A row-major float64 X kept as it came: {@link DesignMatrix.data} is its transpose, made on
 * first use (a wide X's transpose costs more than the passes a working-set solve makes over it).
 */
class RowMajorDesign implements DesignMatrix {
  private columns: Float64Array | undefined;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly rowMajor: Float64Array,
  ) {}

  get data(): Float64Array {
    this.columns ??= transpose(this.rowMajor, this.rows, this.cols).data;
    return this.columns;
  }
}

/** What the estimators accept as X: rows of numbers, a 2-D tensor, or a matrix. */
export type MatrixInput = readonly (readonly number[])[] | TensorLike | DesignMatrix | RowMajor;

/**
 * What the solvers read of a tfjs tensor (structurally, so that this module never loads tfjs):
 * its shape and a read of its values — synchronous in `fit`, awaited (`data`, where present) in
 * the estimators' `fitAsync`, see {@link readTensorInput}.
 */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly rank: number;
  dataSync(): ArrayLike<number>;
  data?(): Promise<ArrayLike<number>>;
}

/**
 * A tensor input (X or y) read once through `await data()`, standing in for the tensor with its
 * values in hand; anything else is returned as it came. The async entry points pass their inputs
 * through it before {@link toDesignMatrix} / {@link toTargets}, which then check and convert as
 * for the tensor itself without a synchronous read (which throws on WebGPU in Node).
 *
 * @example
 * ```ts
 * const design = toDesignMatrix(await readTensorInput(tf.tensor2d(values, [n, d])));
 * ```
 */
export async function readTensorInput<T>(x: T): Promise<T | TensorLike> {
  if (!isTensorLike(x) || typeof x.data !== 'function') return x;
  const values = await x.data();
  return { shape: x.shape, rank: x.rank, dataSync: () => values };
}

function isTensorLike(x: unknown): x is TensorLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    'shape' in x &&
    'rank' in x &&
    typeof (x as { dataSync?: unknown }).dataSync === 'function'
  );
}

/** A row-major typed array with its shape (what `.npy` files and most tables give). */
export interface RowMajor {
  readonly values: Float32Array | Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** Where the values came from (a file path): what error messages call the matrix. */
  readonly source?: string;
}

/**
 * Index of the first NaN or ±∞ in `values`, or −1: a sum of v·0 is NaN exactly when some v is
 * not finite, so the common case is one cheap pass and only a bad matrix is searched again.
 */
export function firstNonFinite(values: ArrayLike<number>): number {
  const n = values.length;
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    p0 += (values[k] as number) * 0;
    p1 += (values[k + 1] as number) * 0;
    p2 += (values[k + 2] as number) * 0;
    p3 += (values[k + 3] as number) * 0;
  }
  for (; k < n; k++) p0 += (values[k] as number) * 0;
  if (p0 + p1 + p2 + p3 === 0) return -1;
  for (let q = 0; q < n; q++) if (!Number.isFinite(values[q] as number)) return q;
  return -1;
}

/**
 * The data of the matrices {@link toDesignMatrix} made (and so checked): an estimator converts X
 * once and hands the result on, which is then not scanned again.
 */
const CHECKED = new WeakSet<DesignMatrix>();

/** Side of the tiles a transpose works in (64 × 64 doubles stay in cache). */
const TILE = 64;

/** Largest X the in-memory solvers take: 2^31 entries (16 GiB as float64). */
export const MAX_ENTRIES = 2 ** 31;

function isDesignMatrix(x: unknown): x is DesignMatrix {
  return typeof x === 'object' && x !== null && 'data' in x && 'rows' in x && 'cols' in x;
}

function isRowMajor(x: unknown): x is RowMajor {
  return typeof x === 'object' && x !== null && 'values' in x && 'rows' in x && 'cols' in x;
}

function checkSize(rows: number, cols: number, name: string): void {
  if (rows === 0 || cols === 0) throw new SpredInputError(`${name} is empty (${rows} × ${cols})`);
  if (rows * cols > MAX_ENTRIES) {
    const gib = (rows * cols * 8) / 2 ** 30;
    throw new SpredInputError(
      `${name} has ${rows} × ${cols} = ${rows * cols} entries (${gib.toFixed(1)} GiB as float64), more than the in-memory solvers take (${MAX_ENTRIES})`,
    );
  }
}

/**
 * Converts X to a column-major float64 matrix, checking that it is rectangular, non-empty and
 * finite. `name` is used in error messages ("X", "Y"), or a row-major input's `source`.
 */
export function toDesignMatrix(x: MatrixInput, name = 'X'): DesignMatrix {
  let out: DesignMatrix;
  if (isDesignMatrix(x)) {
    // (Checked first: a row-major design's columns are made only when something reads them.)
    if (CHECKED.has(x)) return x;
    if (x.data.length !== x.rows * x.cols)
      throw new SpredInputError(
        `${name}: data has ${x.data.length} values, expected ${x.rows} × ${x.cols}`,
      );
    out = x;
  } else if (isTensorLike(x)) {
    if (x.rank !== 2)
      throw new SpredInputError(`${name} must be a 2-D tensor, got shape [${x.shape.join(', ')}]`);
    const [rows, cols] = x.shape as [number, number];
    return fromRowMajor(x.dataSync(), rows, cols, name);
  } else if (isRowMajor(x)) {
    const label = x.source ?? name;
    checkSize(x.rows, x.cols, label);
    if (x.values.length !== x.rows * x.cols)
      throw new SpredInputError(
        `${label}: ${x.values.length} values do not fill ${x.rows} × ${x.cols}`,
      );
    return fromRowMajor(x.values, x.rows, x.cols, label);
  } else {
    const rows = x.length;
    const cols = x[0]?.length ?? 0;
    checkSize(rows, cols, name);
    const data = new Float64Array(rows * cols);
    x.forEach((row, i) => {
      if (row.length !== cols)
        throw new SpredInputError(
          `${name} row ${i} has ${row.length} values but row 0 has ${cols}`,
        );
      for (let j = 0; j < cols; j++) data[j * rows + i] = row[j] as number;
    });
    out = { rows, cols, data };
  }
  checkSize(out.rows, out.cols, name);
  const k = firstNonFinite(out.data);
  if (k >= 0) {
    const i = k % out.rows;
    const j = Math.floor(k / out.rows);
    throw new SpredInputError(
      `${name} has a non-finite value (${String(out.data[k])}) at row ${i}, column ${j}`,
    );
  }
  CHECKED.add(out);
  return out;
}

/**
 * X from row-major values, checked finite. A float64 array is kept as it is (a
 * {@link RowMajorDesign}: one cheap pass of checks, no copy); other arrays are transposed into
 * columns in tiles that stay in cache, checking finiteness in the same pass (a sum of v·0).
 */
function fromRowMajor(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  name: string,
): DesignMatrix {
  checkSize(rows, cols, name);
  const report = (k: number) =>
    new SpredInputError(
      `${name} has a non-finite value (${String(values[k])}) at row ${Math.floor(k / cols)}, column ${k % cols}`,
    );
  if (values instanceof Float64Array) {
    const k = firstNonFinite(values);
    if (k >= 0) throw report(k);
    const design = new RowMajorDesign(rows, cols, values);
    CHECKED.add(design);
    return design;
  }
  const { data, finite } = transpose(values, rows, cols);
  if (!finite) throw report(firstNonFinite(values));
  const design = { rows, cols, data };
  CHECKED.add(design);
  return design;
}

/**
 * The column-major copy of a row-major matrix, in tiles that stay in cache (a plain double loop is
 * 4–8× slower on a wide X), and whether every value is finite (a sum of v·0, in the same pass).
 */
function transpose(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
): { data: Float64Array; finite: boolean } {
  const data = new Float64Array(rows * cols);
  let probe = 0;
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const iEnd = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const jEnd = Math.min(j0 + TILE, cols);
      for (let j = j0; j < jEnd; j++) {
        const out = j * rows;
        for (let i = i0; i < iEnd; i++) {
          const v = values[i * cols + j] as number;
          probe += v * 0;
          data[out + i] = v;
        }
      }
    }
  }
  return { data, finite: probe === 0 };
}

/** y as an n × k matrix: a vector becomes one column. */
export function toTargets(
  y: readonly number[] | Float64Array | Float32Array | MatrixInput,
  rows: number,
): DesignMatrix {
  const isVector = (v: unknown): v is ArrayLike<number> =>
    ArrayBuffer.isView(v) || (Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number'));
  let m: DesignMatrix;
  if (isTensorLike(y) && y.rank === 1) {
    m = { rows: y.shape[0] as number, cols: 1, data: Float64Array.from(y.dataSync()) };
  } else if (isVector(y)) {
    m = { rows: y.length, cols: 1, data: Float64Array.from(y) };
  } else {
    m = toDesignMatrix(y as MatrixInput, 'y');
  }
  if (m.rows !== rows) throw new SpredInputError(`X has ${rows} rows but y has ${m.rows} values`);
  for (let k = 0; k < m.data.length; k++) {
    if (!Number.isFinite(m.data[k] as number))
      throw new SpredInputError(
        `y has a non-finite value (${String(m.data[k])}) at index ${k % m.rows}`,
      );
  }
  return m;
}
