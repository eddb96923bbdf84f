import type * as tfl from '@tensorflow/tfjs-layers';
import { SpredInputError } from '@spredjs/core';
import { checkHeader, firstLine, printable } from './check-sparse-model.js';
import { decodeSparseModel } from './decode-sparse-model.js';
import { SPARSE_MODEL_JSON_FILE, type SparseModelFiles } from './sparse-model-json.js';

/**
 * Options of {@link loadSparseModel}.
 *
 * @example
 * ```ts
 * const options: LoadSparseModelOptions = {
 *   fetch: (url, init) => fetch(url, { ...init, credentials: 'include' }),
 * };
 * const model = await loadSparseModel('https://example.org/model/', options);
 * ```
 */
export interface LoadSparseModelOptions {
  /**
   * The `fetch` that reads URLs (default: the global one): pass your own to add headers or
   * credentials, or to serve the files from somewhere else.
   */
  readonly fetch?: typeof fetch;
}

/** The part of Node's `fs/promises` the loader uses, so that no Node types are needed. */
interface NodeFiles {
  readFile(path: string | URL): Promise<Uint8Array>;
  readFile(path: string | URL, encoding: 'utf8'): Promise<string>;
  stat(path: string | URL): Promise<{ isDirectory(): boolean; readonly size: number }>;
}

/** The part of Node's `process` the loader uses. */
interface NodeProcess {
  readonly versions?: { readonly node?: string };
  readonly getBuiltinModule?: (id: string) => unknown;
}

const nodeProcess = (): NodeProcess | undefined =>
  (globalThis as unknown as { readonly process?: NodeProcess }).process;

/** True in Node (and runtimes that pose as it), where a string may be a file path. */
const inNode = () => typeof nodeProcess()?.versions?.node === 'string';

/**
 * Node's `fs/promises`, obtained at run time (Node ≥ 20.16) so that a browser bundle holds no
 * import of a Node built-in; undefined where there is none.
 */
function nodeFiles(): NodeFiles | undefined {
  const getBuiltinModule = nodeProcess()?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  return getBuiltinModule('node:fs/promises') as NodeFiles | undefined;
}

const isFetchedUrl = (url: string) => /^(https?|blob|data):/i.test(url);

function parseHeader(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SpredInputError(`${where}: not JSON: ${firstLine(error)}`);
  }
}

/** The header's URL: `model.spred.json` inside a folder URL (one ending in `/`). */
function headerUrl(url: URL): URL {
  return url.pathname.endsWith('/') && url.protocol !== 'data:'
    ? new URL(SPARSE_MODEL_JSON_FILE, url)
    : url;
}

async function fetchFiles(url: URL, fetchFn: typeof fetch): Promise<SparseModelFiles> {
  const get = async (target: URL) => {
    const where = printable(target.href);
    let response: Response;
    try {
      response = await fetchFn(target.href);
    } catch (error) {
      throw new SpredInputError(`cannot fetch ${where}: ${firstLine(error)}`);
    }
    if (!response.ok) {
      throw new SpredInputError(
        `cannot fetch ${where}: HTTP ${response.status} ${response.statusText}`,
      );
    }
    return { response, where };
  };
  const jsonUrl = headerUrl(url);
  const head = await get(jsonUrl);
  const json = parseHeader(await head.response.text(), head.where);
  const { weightsFile, byteLength } = checkHeader(json);
  let binUrl: URL;
  try {
    binUrl = new URL(weightsFile, jsonUrl);
  } catch {
    throw new SpredInputError(
      `${head.where}: cannot resolve ${printable(weightsFile)} relative to it`,
    );
  }
  const bin = await get(binUrl);
  // A server that states the length lets a wrong file be refused before it is downloaded.
  const stated = bin.response.headers.get('content-length');
  const encoded = (bin.response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  if (stated !== null && !encoded && Number(stated) !== byteLength) {
    void bin.response.body?.cancel().catch(() => undefined);
    throw new SpredInputError(
      `${bin.where}: the file has ${stated} bytes, the header says ${byteLength}`,
    );
  }
  const weights = new Uint8Array(await bin.response.arrayBuffer());
  return { json: json as SparseModelFiles['json'], weights };
}

async function readFiles(source: string | URL, fs: NodeFiles): Promise<SparseModelFiles> {
  const where = (path: string | URL) => printable(typeof path === 'string' ? path : path.href);
  const io = async <T>(path: string | URL, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      throw new SpredInputError(`cannot read ${where(path)}: ${firstLine(error)}`);
    }
  };
  let jsonPath = source;
  if ((await io(source, () => fs.stat(source))).isDirectory()) {
    jsonPath =
      typeof source === 'string'
        ? `${source.replace(/[\\/]+$/, '')}/${SPARSE_MODEL_JSON_FILE}`
        : new URL(SPARSE_MODEL_JSON_FILE, source.href.endsWith('/') ? source : `${source.href}/`);
  }
  const json = parseHeader(
    await io(jsonPath, () => fs.readFile(jsonPath, 'utf8')),
    where(jsonPath),
  );
  const { weightsFile, byteLength } = checkHeader(json);
  let binPath: string | URL;
  if (typeof jsonPath === 'string') {
    const cut = Math.max(jsonPath.lastIndexOf('/'), jsonPath.lastIndexOf('\\'));
    binPath = jsonPath.slice(0, cut + 1) + weightsFile;
  } else {
    binPath = new URL(weightsFile, jsonPath);
  }
  const size = (await io(binPath, () => fs.stat(binPath))).size;
  if (size !== byteLength) {
    throw new SpredInputError(
      `${where(binPath)}: the file has ${size} bytes, the header says ${byteLength}`,
    );
  }
  const weights = await io(binPath, () => fs.readFile(binPath));
  return { json: json as SparseModelFiles['json'], weights };
}

/**
 * Loads a compact sparse model (see {@link encodeSparseModel}) as an ordinary tfjs-layers model,
 * checked as {@link decodeSparseModel} checks it. `source` is one of:
 * - the files themselves (`{ json, weights }`);
 * - a URL (a `URL`, or a string starting with `http:`, `https:`, `blob:` or `data:`; in a browser,
 *   any string, resolved against the page): `model.spred.json` is fetched (a URL ending in `/`
 *   means the folder's `model.spred.json`), then the weights file it names, relative to it;
 * - in Node, any other string (or a `file:` URL): the path of `model.spred.json` or of its
 *   folder, read with `fs/promises` (reached at run time, Node ≥ 20.16, so a browser bundle stays
 *   free of Node built-ins).
 *
 * Failures (a missing file, an HTTP error, a file that is not a valid compact model) throw a
 * one-line `SpredInputError`.
 *
 * @param options.fetch the `fetch` for URLs (default: the global `fetch`).
 *
 * @example
 * ```ts
 * const model = await loadSparseModel('https://example.org/models/lenet/model.spred.json');
 * const local = await loadSparseModel('results/lenet'); // in Node: the folder holding both files
 * ```
 */
export async function loadSparseModel(
  source: string | URL | SparseModelFiles,
  options: LoadSparseModelOptions = {},
): Promise<tfl.LayersModel> {
  if (typeof source !== 'string' && !(source instanceof URL)) return decodeSparseModel(source);
  const text = typeof source === 'string' ? source : source.href;
  const fileUrl = source instanceof URL ? source.protocol === 'file:' : /^file:/i.test(text);
  const node = inNode();
  if (!fileUrl && (isFetchedUrl(text) || !node)) {
    const fetchFn = options.fetch ?? (globalThis as { fetch?: typeof fetch }).fetch;
    if (typeof fetchFn !== 'function') {
      throw new SpredInputError(
        `no fetch here to load ${printable(text)}: pass options.fetch, or the files`,
      );
    }
    let url: URL;
    try {
      const base = (globalThis as { location?: { href?: string } }).location?.href;
      url = source instanceof URL ? source : new URL(text, base);
    } catch {
      throw new SpredInputError(
        `${printable(text)} is not a URL: pass an absolute URL, or the files`,
      );
    }
    return decodeSparseModel(await fetchFiles(url, fetchFn));
  }
  const fs = nodeFiles();
  if (fs === undefined) {
    throw new SpredInputError(
      `cannot read the path ${printable(text)} here (no Node fs/promises; Node ≥ 20.16 has it): pass a URL, or the files`,
    );
  }
  const path = fileUrl && typeof source === 'string' ? new URL(source) : source;
  return decodeSparseModel(await readFiles(path, fs));
}
