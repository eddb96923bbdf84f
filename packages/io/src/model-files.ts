import {
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
// Types only: tfjs is imported inside the async functions that use it, so that `@spredjs/io`'s
// readers (and `@spredjs/genomics/io`, the CLI's float64 commands) still start without loading tfjs.
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { SpredFileError } from './file-error.js';
import { readText } from './read-text.js';
import { writeJsonAtomic } from './results-folder.js';

/** The file a saved model's topology goes to, in its folder (as tfjs-node and the converter do). */
const MODEL_JSON = 'model.json';
/** The one weights file {@link modelFiles} writes; tfjs' converter may shard into several. */
const WEIGHTS_BIN = 'weights.bin';

/** Bytes per stored value of each weight dtype a layers model can have. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
};
/** Bytes per stored value of a quantized weight (`quantization.dtype`). */
const QUANTIZED_BYTES: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };

/**
 * Anything tfjs can save through an IOHandler (a tfjs-layers `LayersModel`, `Sequential`), typed
 * structurally so that `@spredjs/io` needs no tfjs-layers at run time to save one.
 */
export interface SaveableModel {
  save(handler: tf.io.IOHandler, config?: tf.io.SaveConfig): Promise<tf.io.SaveResult>;
}

/**
 * A tfjs IOHandler over a folder of files, for Node without `@tensorflow/tfjs-node`.
 *
 * `save(artifacts)` writes `model.json` (the tfjs layers format: `format`, `generatedBy`,
 * `convertedBy`, `modelTopology`, `weightsManifest` with one group `['weights.bin']`, and
 * `trainingConfig` / `userDefinedMetadata` when the model has them) and `weights.bin` (every
 * weight's bytes, concatenated) into the folder `path`, creating it if needed; each file is written
 * to a temporary file beside it and renamed, so an interrupted save never leaves half a file. A
 * `path` whose last part is `model.json` means its folder. One model per folder: a second save
 * replaces the first.
 *
 * `load()` reads `path/model.json`, or `path` itself when it is a JSON file (e.g.
 * `converted/model.json`), and every weights file its `weightsManifest` names, relative to the
 * JSON's folder and concatenated in manifest order (the Python converter's and tfjs-node's
 * `group1-shard1of2.bin`, … load as well as `weights.bin`). A missing file, a `model.json` that is
 * not JSON or not a layers model (a graph model, say), and a weights file shorter than its
 * manifest says raise a {@link SpredFileError} naming the file; the weights' size is checked
 * before anything is allocated.
 *
 * @example
 * ```ts
 * await model.save(modelFiles('runs/mlp'));                            // runs/mlp/model.json + weights.bin
 * const again = await tf.loadLayersModel(modelFiles('runs/mlp'));
 * ```
 */
export function modelFiles(path: string): tf.io.IOHandler {
  return {
    save: (artifacts) => saveArtifacts(path, artifacts),
    load: () => loadArtifacts(path),
  };
}

/**
 * Saves a tfjs-layers model into the folder `dir` (created if needed) as `model.json` and
 * `weights.bin`, through {@link modelFiles}: the `model.save('file://dir')` of tfjs-node, without
 * tfjs-node. `config` is tfjs' `SaveConfig` (`{ includeOptimizer: true }` also saves the training
 * config and the optimizer's state). Resolves to tfjs' `SaveResult` (sizes of what was written).
 *
 * @example
 * ```ts
 * await saveModel(model, 'runs/mlp');
 * ```
 */
export function saveModel(
  model: SaveableModel,
  dir: string,
  config?: tf.io.SaveConfig,
): Promise<tf.io.SaveResult> {
  return model.save(modelFiles(dir), config);
}

/**
 * Loads a tfjs-layers model saved by {@link saveModel}, by tfjs-node's file handler or by the
 * Python converter (`tensorflowjs_converter --output_format tfjs_layers_model`). `path` is the
 * model's folder (holding `model.json`) or the path of its JSON file. Errors are
 * {@link SpredFileError}s naming the file (see {@link modelFiles}).
 *
 * @example
 * ```ts
 * const model = await loadModel('converted/model.json');
 * const y = model.predict(x) as tf.Tensor;
 * ```
 */
export async function loadModel(path: string): Promise<LayersModel> {
  const { loadLayersModel } = await import('@tensorflow/tfjs-layers');
  return loadLayersModel(modelFiles(path));
}

async function saveArtifacts(
  path: string,
  artifacts: tf.io.ModelArtifacts,
): Promise<tf.io.SaveResult> {
  const dir = basename(path) === MODEL_JSON ? dirname(path) : path;
  const topology = artifacts.modelTopology;
  if (topology === undefined || topology instanceof ArrayBuffer)
    throw new SpredFileError(
      `${dir}: modelFiles saves tfjs layers models, whose topology is JSON; this one has ${topology === undefined ? 'none' : 'a binary GraphDef'}`,
    );
  const { io } = await import('@tensorflow/tfjs-core');
  const weights = new Uint8Array(
    artifacts.weightData === undefined
      ? new ArrayBuffer(0)
      : io.CompositeArrayBuffer.join(artifacts.weightData),
  );
  const modelJson: tf.io.ModelJSON = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: topology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig !== undefined && { trainingConfig: artifacts.trainingConfig }),
    ...(artifacts.userDefinedMetadata !== undefined && {
      userDefinedMetadata: artifacts.userDefinedMetadata,
    }),
  };
  const jsonPath = join(dir, MODEL_JSON);
  const binPath = join(dir, WEIGHTS_BIN);
  writing(dir, () => mkdirSync(dir, { recursive: true }));
  // Weights first: a model.json on disk never names weights that are not all there.
  writing(binPath, () => {
    writeFileSync(`${binPath}.tmp`, weights);
    renameSync(`${binPath}.tmp`, binPath);
  });
  writing(jsonPath, () => writeJsonAtomic(jsonPath, modelJson));
  return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
}

/** Runs one write; on failure removes its temporary file and says which file could not be written. */
function writing(path: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    rmSync(`${path}.tmp`, { force: true });
    const code = (e as { code?: string }).code;
    throw new SpredFileError(`${path}: cannot write (${String(code ?? e)})`);
  }
}

async function loadArtifacts(path: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = isDirectory(path) || !path.endsWith('.json') ? join(path, MODEL_JSON) : path;
  const modelJson = parseModelJson(jsonPath, readText(jsonPath));
  const { io } = await import('@tensorflow/tfjs-core');
  if (modelJson.weightsManifest === undefined)
    return io.getModelArtifactsForJSONSync(modelJson as tf.io.ModelJSON);
  const { weightSpecs, weightData } = readWeights(jsonPath, modelJson.weightsManifest);
  return io.getModelArtifactsForJSONSync(modelJson as tf.io.ModelJSON, weightSpecs, weightData);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A parsed model.json, checked to be a layers model; its manifest is checked by readWeights. */
type LayersModelJson = Omit<tf.io.ModelJSON, 'weightsManifest'> & { weightsManifest?: unknown };

function parseModelJson(file: string, text: string): LayersModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SpredFileError(`${file} is not JSON (${jsonErrorWhere(text, (e as Error).message)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new SpredFileError(`${file} is not a tfjs layers model: it holds no JSON object`);
  const model = json as Record<string, unknown>;
  const topology = model['modelTopology'];
  const isGraph =
    model['format'] === 'graph-model' ||
    (model['format'] === undefined &&
      typeof topology === 'object' &&
      topology !== null &&
      Array.isArray((topology as { node?: unknown }).node));
  if (isGraph)
    throw new SpredFileError(
      `${file} is a tfjs graph model; spred needs a layers model (tf.loadLayersModel)`,
    );
  if (model['format'] !== undefined && model['format'] !== 'layers-model')
    throw new SpredFileError(
      `${file} is not a tfjs layers model: its format is ${JSON.stringify(model['format'])}, not "layers-model"`,
    );
  if (typeof topology !== 'object' || topology === null)
    throw new SpredFileError(`${file} is not a tfjs layers model: it has no modelTopology`);
  return model as LayersModelJson;
}

/**
 * Where JSON.parse stopped, as `line L, column C: what it expected` when V8 gives a position, else
 * its message on one line.
 */
function jsonErrorWhere(text: string, message: string): string {
  const at = /^(.*?)(?: in JSON)? at position (\d+)/.exec(message);
  if (at === null) return message.replace(/\s+/g, ' ');
  const before = text.slice(0, Number(at[2]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${at[1]}`;
}

interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly tf.io.WeightsManifestEntry[];
}

/**
 * Checks the manifest, then every weights file's size against what its group's weights need (so a
 * truncated or wrong file is refused before the buffer is allocated), then reads each group's
 * files in manifest order into one buffer; bytes past what a group needs are left out, so that
 * the next group's weights start where tfjs' decoder expects them.
 */
function readWeights(
  jsonPath: string,
  manifest: unknown,
): { weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const groups = checkManifest(jsonPath, manifest);
  const folder = dirname(jsonPath);
  const plan = groups.map((group) => {
    const files = group.paths.map((p) => join(folder, p));
    const sizes = files.map((file) => fileSize(file, jsonPath));
    const need = group.weights.reduce((sum, w) => sum + weightBytes(jsonPath, w), 0);
    const have = sizes.reduce((a, b) => a + b, 0);
    if (have < need)
      throw new SpredFileError(
        `${files.join(' + ')} ${files.length === 1 ? 'holds' : 'hold'} ${have} bytes, but the weightsManifest of ${jsonPath} needs ${need}`,
      );
    return { files, need };
  });
  const data = new Uint8Array(plan.reduce((sum, g) => sum + g.need, 0));
  let offset = 0;
  for (const { files, need } of plan) {
    const end = offset + need;
    for (const file of files) {
      if (offset === end) break;
      offset += readInto(file, data.subarray(offset, end));
    }
    if (offset !== end)
      throw new SpredFileError(`${files.join(' + ')}: shorter than when first read (changed?)`);
  }
  return { weightSpecs: groups.flatMap((g) => g.weights), weightData: data.buffer };
}

function checkManifest(jsonPath: string, manifest: unknown): ManifestGroup[] {
  const isGroup = (g: unknown): g is ManifestGroup =>
    typeof g === 'object' &&
    g !== null &&
    Array.isArray((g as ManifestGroup).paths) &&
    (g as ManifestGroup).paths.every((p) => typeof p === 'string') &&
    Array.isArray((g as ManifestGroup).weights) &&
    (g as ManifestGroup).weights.every((w) => typeof w === 'object' && w !== null);
  if (!Array.isArray(manifest) || !manifest.every(isGroup))
    throw new SpredFileError(
      `${jsonPath}: weightsManifest is not a list of { paths, weights } groups`,
    );
  return manifest;
}

/** Bytes one manifest entry takes in the weights files: values × bytes per stored value. */
function weightBytes(jsonPath: string, entry: tf.io.WeightsManifestEntry): number {
  const shape: unknown = entry.shape;
  if (
    !Array.isArray(shape) ||
    !shape.every((d): d is number => Number.isSafeInteger(d) && (d as number) >= 0)
  )
    throw new SpredFileError(
      `${jsonPath}: weight ${JSON.stringify(entry.name)} has shape ${JSON.stringify(shape)}, not a list of sizes`,
    );
  const stored = entry.quantization?.dtype;
  const bytes = stored === undefined ? DTYPE_BYTES[entry.dtype] : QUANTIZED_BYTES[stored];
  if (bytes === undefined)
    throw new SpredFileError(
      `${jsonPath}: weight ${JSON.stringify(entry.name)} is stored as ${JSON.stringify(stored ?? entry.dtype)}; a layers model's weights are float32, int32, bool or complex64, quantized as uint8, uint16 or float16`,
    );
  return shape.reduce((a, b) => a * b, 1) * bytes;
}

function fileSize(file: string, jsonPath: string): number {
  try {
    return statSync(file).size;
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SpredFileError(
      code === 'ENOENT'
        ? `${file}: no such file (a weights file of ${jsonPath})`
        : `${file}: cannot read (${String(code ?? e)})`,
    );
  }
}

/**
 * Reads the start of `file` into `target` (until either ends) and says how many bytes it read.
 * Weights are read raw, not through readBytes: binary weights may begin with the gzip magic bytes.
 */
function readInto(file: string, target: Uint8Array): number {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    let read = 0;
    while (read < target.length) {
      const n = readSync(fd, target, read, target.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return read;
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SpredFileError(`${file}: cannot read (${String(code ?? e)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
