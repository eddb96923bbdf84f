import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpredInputError, mulberry32 } from '@spredjs/core';
import { decodeSparseModel } from './decode-sparse-model.js';
import { encodeSparseModel } from './encode-sparse-model.js';
import { loadSparseModel } from './load-sparse-model.js';
import type { SparseModelFiles } from './sparse-model-json.js';

/** A Dense net with 90% of its kernels' entries exact zeros. */
function sparseNet(): tfl.LayersModel {
  const model = tfl.sequential({
    name: 'served',
    layers: [
      tfl.layers.dense({ name: 'hidden', units: 16, inputShape: [12], activation: 'relu' }),
      tfl.layers.dense({ name: 'out', units: 4 }),
    ],
  });
  const uniform = mulberry32(31);
  const weights = model.weights.map((w) => {
    const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    const dense = !w.originalName.endsWith('/kernel');
    const values = Float32Array.from({ length: size }, () =>
      dense || uniform() < 0.1 ? uniform() * 2 - 1 : 0,
    );
    return tf.tensor(values, w.shape as number[]);
  });
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

async function predict(model: tfl.LayersModel, x: tf.Tensor): Promise<number[]> {
  const y = model.predict(x) as tf.Tensor;
  const out = Array.from(await y.data());
  y.dispose();
  model.dispose();
  return out;
}

describe('loadSparseModel', () => {
  const x = tf.randomNormal([5, 12], 0, 1, 'float32', 3);
  let files: SparseModelFiles;
  let expected: number[];
  let folder: string;
  let server: Server;
  let base: string;
  const requests: string[] = [];

  beforeAll(async () => {
    const model = sparseNet();
    files = await encodeSparseModel(model);
    model.dispose();
    expected = await predict(await decodeSparseModel(files), x);
    folder = await mkdtemp(join(tmpdir(), 'spred-sparse-'));
    await writeFile(join(folder, 'model.spred.json'), JSON.stringify(files.json));
    await writeFile(join(folder, files.json.weightsFile), files.weights);
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const routes: Record<string, string | Uint8Array> = {
        '/models/net/model.spred.json': JSON.stringify(files.json),
        [`/models/net/${files.json.weightsFile}`]: files.weights,
        '/models/short/model.spred.json': JSON.stringify(files.json),
        [`/models/short/${files.json.weightsFile}`]: files.weights.subarray(0, 10),
      };
      const body = routes[request.url ?? ''];
      response.statusCode = body === undefined ? 404 : 200;
      response.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(folder, { recursive: true, force: true });
  });

  it('reads a folder path in Node, or the path of its model.spred.json, or a file: URL', async () => {
    expect(await predict(await loadSparseModel(folder), x)).toEqual(expected);
    expect(await predict(await loadSparseModel(join(folder, 'model.spred.json')), x)).toEqual(
      expected,
    );
    expect(await predict(await loadSparseModel(pathToFileURL(folder)), x)).toEqual(expected);
  });

  it('fetches an http URL, then the weights file the header names, relative to it', async () => {
    requests.length = 0;
    const loaded = await loadSparseModel(`${base}/models/net/model.spred.json`);
    expect(await predict(loaded, x)).toEqual(expected);
    expect(requests).toEqual(['/models/net/model.spred.json', '/models/net/model.spred.bin']);
    // A folder URL means its model.spred.json; a given fetch is the one used.
    let calls = 0;
    const counted: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const viaFolder = await loadSparseModel(new URL(`${base}/models/net/`), { fetch: counted });
    expect(await predict(viaFolder, x)).toEqual(expected);
    expect(calls).toBe(2);
  });

  it('takes the files themselves', async () => {
    expect(await predict(await loadSparseModel(files), x)).toEqual(expected);
  });

  it('says in one line what could not be read', async () => {
    await expect(loadSparseModel(`${base}/models/none/model.spred.json`)).rejects.toThrow(
      new SpredInputError(`cannot fetch ${base}/models/none/model.spred.json: HTTP 404 Not Found`),
    );
    // The server states a length other than the header's: refused before the body is read.
    await expect(loadSparseModel(`${base}/models/short/`)).rejects.toThrow(
      new SpredInputError(
        `${base}/models/short/model.spred.bin: the file has 10 bytes, the header says ${files.weights.length}`,
      ),
    );
    const missing = join(folder, 'nothing-here');
    const error = await loadSparseModel(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpredInputError);
    expect((error as Error).message).toMatch(/^cannot read .*nothing-here: ENOENT/);
    // A weights file of the wrong length is refused before it is read.
    const short = await mkdtemp(join(tmpdir(), 'spred-sparse-'));
    await writeFile(join(short, 'model.spred.json'), JSON.stringify(files.json));
    await writeFile(join(short, 'model.spred.bin'), files.weights.subarray(0, 10));
    await expect(loadSparseModel(short)).rejects.toThrow(
      new SpredInputError(
        `${join(short, 'model.spred.bin')}: the file has 10 bytes, the header says ${files.weights.length}`,
      ),
    );
    await writeFile(join(short, 'model.spred.json'), '{"format": ');
    await expect(loadSparseModel(short)).rejects.toThrow(/^.*model\.spred\.json: not JSON: /);
    await rm(short, { recursive: true, force: true });
  });
});
