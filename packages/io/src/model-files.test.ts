import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { SpredFileError } from './file-error.js';
import { loadModel, modelFiles, saveModel } from './model-files.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'spred-io-'));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Dense 3→4 (relu) → Dense 4→2: 12 + 4 + 8 + 2 = 26 float32 weights, 104 bytes. */
function mlp(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 4,
        inputShape: [3],
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }),
        biasInitializer: tfl.initializers.randomNormal({ seed: 2 }),
      }),
      tfl.layers.dense({
        units: 2,
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 }),
        biasInitializer: tfl.initializers.randomNormal({ seed: 4 }),
      }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

/** Conv2D → BatchNormalization → Flatten → Dense, every weight (moving statistics too) seeded. */
function convNet(): tfl.LayersModel {
  const input = tfl.input({ shape: [6, 6, 1] });
  const conv = tfl.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input);
  const norm = tfl.layers.batchNormalization().apply(conv);
  const flat = tfl.layers.flatten().apply(norm);
  const output = tfl.layers.dense({ units: 3 }).apply(flat) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output });
  // Positive values away from the defaults (moving variance 1, mean 0, beta 0), so that a weight
  // left at its initial value would change the predictions.
  model.setWeights(
    model.weights.map((w, i) => tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', 10 + i)),
  );
  return model;
}

async function predictions(model: tfl.LayersModel, x: tf.Tensor): Promise<Float32Array> {
  const y = model.predict(x) as tf.Tensor;
  const values = (await y.data()) as Float32Array;
  y.dispose();
  return values;
}

/** Loads `path` through the handler and expects a one-line SpredFileError matching `message`. */
async function expectRefusal(path: string, message: RegExp): Promise<void> {
  const load = () => modelFiles(path).load!();
  await expect(load()).rejects.toBeInstanceOf(SpredFileError);
  await expect(load()).rejects.toThrow(message);
  await expect(load()).rejects.toThrow(/^[^\n]*$/);
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value));
}

describe('models saved to and loaded from a folder without tfjs-node', () => {
  it('a Sequential Dense→Dense model comes back with its config and exactly its predictions', async () => {
    const dir = join(tmp(), 'runs', 'mlp'); // does not exist yet: saving creates it
    const model = mlp();
    model.setUserDefinedMetadata({ source: 'spred test' });
    const x = tf.tensor2d([
      [0.5, -1, 2],
      [3, 0.25, -0.75],
    ]);
    const saved = await saveModel(model, dir);
    expect(saved.modelArtifactsInfo.weightDataBytes).toBe(104);
    expect(saved.modelArtifactsInfo.modelTopologyType).toBe('JSON');
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']); // no temp files left
    expect(statSync(join(dir, 'weights.bin')).size).toBe(104);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.convertedBy).toBeNull();
    expect(json.generatedBy).toMatch(/tfjs-layers/);
    expect(json.trainingConfig).toBeUndefined(); // only with includeOptimizer (below)
    expect(json.userDefinedMetadata).toEqual({ source: 'spred test' });
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.weightsManifest[0].weights.map((w: tf.io.WeightsManifestEntry) => w.shape)).toEqual(
      [[3, 4], [4], [4, 2], [2]],
    );

    const again = await loadModel(dir);
    expect(again.getConfig()).toEqual(model.getConfig());
    expect(again.getUserDefinedMetadata()).toEqual({ source: 'spred test' });
    const before = await predictions(model, x);
    expect(before.some((v) => v !== 0)).toBe(true);
    expect(await predictions(again, x)).toEqual(before);

    // Saving again into the same folder replaces the model and still leaves only the two files.
    await saveModel(again, join(dir, 'model.json')); // a model.json path means its folder
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    model.dispose();
    again.dispose();
    x.dispose();
  });

  it('a functional Conv2D → BatchNormalization → Flatten model comes back exactly, loaded by its model.json path', async () => {
    const dir = tmp();
    const model = convNet();
    const x = tf.randomNormal([2, 6, 6, 1], 0, 1, 'float32', 7);
    await saveModel(model, dir);
    const again = await loadModel(join(dir, 'model.json'));
    expect(again.getConfig()).toEqual(model.getConfig());
    const moving = (m: tfl.LayersModel) =>
      Promise.all(m.layers[2]!.getWeights().map((w) => w.data()));
    expect(await moving(again)).toEqual(await moving(model)); // gamma, beta, moving mean, variance
    expect(await predictions(again, x)).toEqual(await predictions(model, x));
    model.dispose();
    again.dispose();
    x.dispose();
  });

  it('saves and restores the training config and the optimizer state with includeOptimizer', async () => {
    const dir = tmp();
    const model = mlp();
    const x = tf.tensor2d([[1, 0, -1]]);
    const y = tf.tensor2d([[0.5, -0.5]]);
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    await saveModel(model, dir, { includeOptimizer: true });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.trainingConfig.loss).toBe('mean_squared_error');
    const groups = json.weightsManifest[0].weights.map((w: tf.io.WeightsManifestEntry) => w.group);
    expect(groups).toContain('optimizer');
    const again = await loadModel(dir);
    expect(again.optimizer).toBeDefined();
    const state = async (m: tfl.LayersModel) =>
      Promise.all((await m.optimizer.getWeights()).map((w) => w.tensor.data()));
    expect(await state(again)).toEqual(await state(model));
    expect(await predictions(again, x)).toEqual(await predictions(model, x));
    tf.dispose([x, y]);
    model.dispose();
    again.dispose();
  });

  it('leaks no tensors: saving, loading, predicting and disposing leave the count where it was', async () => {
    const before = tf.memory().numTensors;
    const dir = tmp();
    const model = mlp();
    await saveModel(model, dir);
    await modelFiles(dir).load!(); // the handler alone makes no tensors
    const again = await loadModel(dir);
    const x = tf.ones([1, 3]);
    expect(await predictions(again, x)).toEqual(await predictions(model, x));
    model.dispose();
    again.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads weights sharded by hand into two files, concatenated in manifest order', async () => {
    const dir = tmp();
    const model = mlp();
    await saveModel(model, dir);
    const bytes = readFileSync(join(dir, 'weights.bin'));
    // Split inside a float (byte 50 of 104): only the concatenation gives the weights back.
    writeFileSync(join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, 50));
    writeFileSync(join(dir, 'group1-shard2of2.bin'), bytes.subarray(50));
    rmSync(join(dir, 'weights.bin'));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    writeJson(join(dir, 'model.json'), json);
    const again = await loadModel(dir);
    const x = tf.tensor2d([[1, 2, 3]]);
    expect(await predictions(again, x)).toEqual(await predictions(model, x));
    model.dispose();
    again.dispose();
    x.dispose();
  });

  it('reads each manifest group from its own files, whatever follows a group’s weights in its last file', async () => {
    const dir = tmp();
    const model = mlp();
    await saveModel(model, dir);
    const bytes = readFileSync(join(dir, 'weights.bin'));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const [k1, b1, k2, b2] = json.weightsManifest[0].weights;
    json.weightsManifest = [
      { paths: ['first.bin'], weights: [k1, b1] }, // 16 floats, 64 bytes
      { paths: ['second.bin'], weights: [k2, b2] },
    ];
    // Four bytes past the first group's weights must not shift the second group's.
    writeFileSync(
      join(dir, 'first.bin'),
      Buffer.concat([bytes.subarray(0, 64), Buffer.alloc(4, 0xff)]),
    );
    writeFileSync(join(dir, 'second.bin'), bytes.subarray(64));
    writeJson(join(dir, 'model.json'), json);
    const again = await loadModel(dir);
    const x = tf.tensor2d([[1, -2, 0.5]]);
    expect(await predictions(again, x)).toEqual(await predictions(model, x));
    model.dispose();
    again.dispose();
    x.dispose();
  });

  it('loads a Keras model as the Python converter writes it (model.json + group1-shard1of1.bin)', async () => {
    const dir = tmp();
    const dense = {
      name: 'dense',
      trainable: true,
      dtype: 'float32',
      units: 1,
      activation: 'linear',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    };
    writeJson(join(dir, 'model.json'), {
      format: 'layers-model',
      generatedBy: 'keras v2.13.1',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        keras_version: '2.13.1',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              {
                class_name: 'InputLayer',
                config: {
                  batch_input_shape: [null, 2],
                  dtype: 'float32',
                  sparse: false,
                  name: 'x',
                },
              },
              { class_name: 'Dense', config: dense },
            ],
          },
        },
      },
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            { name: 'dense/kernel', shape: [2, 1], dtype: 'float32' },
            { name: 'dense/bias', shape: [1], dtype: 'float32' },
          ],
        },
      ],
    });
    writeFileSync(join(dir, 'group1-shard1of1.bin'), new Float32Array([2, 3, 1])); // y = 2a + 3b + 1
    const model = await loadModel(join(dir, 'model.json'));
    const x = tf.tensor2d([
      [1, 1],
      [2, -1],
    ]);
    expect(Array.from(await predictions(model, x))).toEqual([6, 2]);
    model.dispose();
    x.dispose();
  });

  it('saves weightData given as several ArrayBuffers as their concatenation', async () => {
    const dir = tmp();
    const weightSpecs: tf.io.WeightsManifestEntry[] = [{ name: 'w', shape: [3], dtype: 'float32' }];
    const parts = [new Float32Array([1, 2]).buffer, new Float32Array([3]).buffer];
    const saved = await modelFiles(dir).save!({
      modelTopology: { any: 'json' },
      weightSpecs,
      weightData: parts,
    });
    expect(saved.modelArtifactsInfo.weightDataBytes).toBe(12);
    expect(
      Array.from(new Float32Array(new Uint8Array(readFileSync(join(dir, 'weights.bin'))).buffer)),
    ).toEqual([1, 2, 3]);
    const loaded = await modelFiles(dir).load!();
    expect(loaded.weightSpecs).toEqual(weightSpecs);
    expect(Array.from(new Float32Array(loaded.weightData as ArrayBuffer))).toEqual([1, 2, 3]);
    expect(loaded.modelTopology).toEqual({ any: 'json' });
  });

  it('counts bytes per stored value: float32 and int32 4, bool 1, quantized uint8 1, uint16 and float16 2', async () => {
    const dir = tmp();
    const weights: tf.io.WeightsManifestEntry[] = [
      { name: 'f', shape: [2], dtype: 'float32' }, // 8
      { name: 'i', shape: [1], dtype: 'int32' }, // 4
      { name: 'b', shape: [3], dtype: 'bool' }, // 3
      {
        name: 'q8',
        shape: [3],
        dtype: 'float32',
        quantization: { dtype: 'uint8', scale: 1, min: 0 },
      }, // 3
      {
        name: 'q16',
        shape: [2],
        dtype: 'float32',
        quantization: { dtype: 'uint16', scale: 1, min: 0 },
      }, // 4
      { name: 'h', shape: [2, 2], dtype: 'float32', quantization: { dtype: 'float16' } }, // 8
    ];
    writeJson(join(dir, 'model.json'), {
      format: 'layers-model',
      modelTopology: {},
      weightsManifest: [{ paths: ['weights.bin'], weights }],
    });
    writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(29));
    await expectRefusal(dir, /holds 29 bytes, but the weightsManifest of .*model\.json needs 30$/);
    writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(30, 7));
    const loaded = await modelFiles(dir).load!();
    expect((loaded.weightData as ArrayBuffer).byteLength).toBe(30);
    expect(loaded.weightSpecs).toEqual(weights);
  });
});

describe('files spred cannot load as a layers model are refused with one line naming the file', () => {
  it('a missing model.json', async () => {
    const dir = tmp();
    await expectRefusal(dir, new RegExp(`^${escape(join(dir, 'model.json'))}: no such file$`));
    await expect(loadModel(join(dir, 'elsewhere'))).rejects.toThrow(
      new RegExp(`^${escape(join(dir, 'elsewhere', 'model.json'))}: no such file$`),
    );
  });

  it('a model.json that is not JSON, with the line and column where parsing stopped', async () => {
    const dir = tmp();
    const file = join(dir, 'model.json');
    writeFileSync(
      file,
      '{\n  "format": "layers-model",\n  "modelTopology": {\n    "x": 1\n    "y": 2\n  }\n}',
    );
    await expectRefusal(dir, new RegExp(`^${escape(file)} is not JSON \\(line 5, column 5: `));
  });

  it('a tfjs graph model', async () => {
    const dir = tmp();
    const file = join(dir, 'model.json');
    writeJson(file, { format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] });
    await expectRefusal(
      file,
      new RegExp(
        `^${escape(file)} is a tfjs graph model; spred needs a layers model \\(tf\\.loadLayersModel\\)$`,
      ),
    );
  });

  it('JSON without a modelTopology', async () => {
    const dir = tmp();
    const file = join(dir, 'model.json');
    writeJson(file, { format: 'layers-model', weightsManifest: [] });
    await expectRefusal(
      dir,
      new RegExp(`^${escape(file)} is not a tfjs layers model: it has no modelTopology$`),
    );
  });

  it('a missing weights file', async () => {
    const dir = tmp();
    const model = mlp();
    await saveModel(model, dir);
    model.dispose();
    rmSync(join(dir, 'weights.bin'));
    const bin = escape(join(dir, 'weights.bin'));
    await expectRefusal(
      dir,
      new RegExp(`^${bin}: no such file \\(a weights file of .*model\\.json\\)$`),
    );
  });

  it('a weights file shorter than the manifest needs, refused before it is read', async () => {
    const dir = tmp();
    const model = mlp();
    await saveModel(model, dir);
    model.dispose();
    const bin = join(dir, 'weights.bin');
    writeFileSync(bin, readFileSync(bin).subarray(0, 100));
    const json = escape(join(dir, 'model.json'));
    await expectRefusal(
      dir,
      new RegExp(`^${escape(bin)} holds 100 bytes, but the weightsManifest of ${json} needs 104$`),
    );
    // A manifest asking for 40 GB is refused on the files' sizes, before anything is allocated.
    writeJson(join(dir, 'model.json'), {
      modelTopology: {},
      weightsManifest: [
        { paths: ['weights.bin'], weights: [{ name: 'w', shape: [1e5, 1e5], dtype: 'float32' }] },
      ],
    });
    await expectRefusal(dir, /holds 100 bytes, but the weightsManifest of .* needs 40000000000$/);
  });
});

describe('@spredjs/io without models', () => {
  it('loads no tfjs until a model is saved or loaded', () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    expect(existsSync(dist), 'no dist/index.js: run tsc -b first').toBe(true);
    const script = `const io = await import(${JSON.stringify(dist)});
      console.log(typeof io.readText, typeof io.loadModel, typeof globalThis._tfengine);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function function undefined');
  });
});
