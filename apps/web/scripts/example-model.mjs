// Makes the exported model the example page loads (public/model/): a user's own 20→16→3 tanh
// classifier with a softmax output, saved in the tfjs layers format, pruned by the `spred` command
// as any user would prune theirs, and its compact export copied here. Run after `pnpm build`:
//   node apps/web/scripts/example-model.mjs
// The data are the page's task (20 standard-normal inputs, the class is the largest of the first
// 3), drawn with @spredjs/core's seeded source; the page checks the model on data of its own.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { boxMuller, mulberry32 } from '@spredjs/core';
import { encodeNpy, saveModel } from '@spredjs/io';

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = resolve(app, '../cli/dist/main.js');
const work = mkdtempSync(join(tmpdir(), 'spred-web-model-'));
const [samples, inputs, informative] = [2000, 20, 3];

const normal = boxMuller(mulberry32(2026));
const x = Float32Array.from({ length: samples * inputs }, () => normal());
const y = Int32Array.from({ length: samples }, (_, i) => {
  const row = Array.from(x.subarray(i * inputs, i * inputs + informative));
  return row.indexOf(Math.max(...row));
});
writeFileSync(join(work, 'X.npy'), encodeNpy([samples, inputs], x));
writeFileSync(join(work, 'y.npy'), encodeNpy([samples], y));

await tf.setBackend('cpu');
const model = tf.sequential({
  layers: [
    tf.layers.dense({
      units: 16,
      activation: 'tanh',
      inputShape: [inputs],
      kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
    }),
    tf.layers.dense({
      units: informative,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }),
    }),
  ],
});
await saveModel(model, join(work, 'user'));

const args = [
  cli,
  'prune',
  '--model',
  join(work, 'user', 'model.json'),
  '--x',
  join(work, 'X.npy'),
  '--y',
  join(work, 'y.npy'),
  '--methods',
  'spred',
  '--kappa',
  '3e-3',
  '--compression',
  '20',
  '--no-certified',
  '--epochs',
  '20',
  '--finetune-epochs',
  '5',
  '--lr',
  '1e-2',
  '--batch-size',
  '32',
  '--export',
  '--out',
  join(work, 'out'),
];
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
const exported = join(work, 'out', 'export', 'c20');
for (const file of ['model.spred.json', 'model.spred.bin', 'export.json'])
  copyFileSync(join(exported, file), join(app, 'public', 'model', file));
console.log(`copied ${exported} into ${join(app, 'public', 'model')}`);
