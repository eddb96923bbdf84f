import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  fitLine,
  nodeSparsityLearningRates,
  nodeSparsitySweep,
  readImageFolder,
} from '@spredjs/vision';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import { CliInputError } from '../io/cli-input-error.js';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import { startProvenance } from '../output/provenance.js';
import { listenForInterrupt } from '../interrupt.js';
import { scatterWithLineChart, logXChart } from '../figures/charts.js';
import { writeVegaLiteSvg } from '../figures/render-svg.js';
import type { GlobalOptions } from '../global-options.js';
import type { NodeSparsityFlags } from './node-sparsity.js';

/**
 * The work of `spred node-sparsity` (its flags are declared and checked in node-sparsity.ts):
 * trains the MLP at each of `weightDecays` and writes node-sparsity.tsv, result.json and the two
 * figures to `--out`.
 *
 * @example
 * ```ts
 * const { runNodeSparsity } = await import('./node-sparsity-run.js');
 * await runNodeSparsity(flags, [0, 1e-4, 1e-3], command.optsWithGlobals<GlobalOptions>(), io);
 * ```
 */
export async function runNodeSparsity(
  flags: NodeSparsityFlags,
  weightDecays: readonly number[],
  global: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const out = prepareOutputFolder(flags.out);
  const provenance = startProvenance({ data: flags.data });
  await startBackend(global.backend, io);
  const data = readImageFolder(flags.dataset, flags.data, 'train');
  const n = Math.min(flags.samples, data.count);
  if (n < 2)
    throw new CliInputError(
      `${flags.data}: ${n} training image${n === 1 ? '' : 's'}: a fit needs at least two`,
    );
  const pixels = data.height * data.width * data.channels;
  const x = tf.tidy(() =>
    tf.div(tf.tensor2d(Float32Array.from(data.images.subarray(0, n * pixels)), [n, pixels]), 255),
  ) as tf.Tensor2D;
  const y = tf.tidy(() =>
    tf.oneHot(tf.tensor1d(Int32Array.from(data.labels.subarray(0, n)), 'int32'), 10),
  ) as tf.Tensor2D;
  const interrupt = listenForInterrupt(
    io,
    'interrupted: finishing the current epoch, then writing the rows done',
  );
  const optimizer = {
    kind: flags.optimizer,
    learningRate: flags.lr ?? nodeSparsityLearningRates[flags.optimizer],
    ...(flags.optimizer === 'momentum' ? { momentum: 0.9 } : {}),
    schedule: flags.schedule,
    batchSize: flags.batchSize,
  };
  let rows;
  try {
    rows = await nodeSparsitySweep({
      x,
      y,
      weightDecays,
      activation: flags.activation,
      hidden: flags.hidden,
      epochs: flags.epochs,
      optimizer: optimizer.kind,
      learningRate: optimizer.learningRate,
      schedule: optimizer.schedule,
      batchSize: optimizer.batchSize,
      threshold: flags.threshold,
      seed: flags.seed,
      signal: interrupt.signal,
      onResult: (r) =>
        io.err(
          `λ=${r.weightDecay}: node sparsity ${(100 * r.nodeSparsity).toFixed(1)}%, weight sparsity ${(100 * r.weightSparsity).toFixed(1)}%, train accuracy ${(100 * r.trainAccuracy).toFixed(1)}% (${r.seconds.toFixed(0)} s)`,
        ),
    });
  } finally {
    interrupt.release();
    tf.dispose([x, y]);
  }
  const table = [
    'weightDecay\tnodeSparsity\tweightSparsity\ttrainAccuracy\tseconds',
    ...rows.map((r) =>
      [r.weightDecay, r.nodeSparsity, r.weightSparsity, r.trainAccuracy, r.seconds].join('\t'),
    ),
  ];
  writeAtomic(out, 'node-sparsity.tsv', `${table.join('\n')}\n`);
  const line =
    rows.length >= 2
      ? fitLine(
          rows.map((r) => r.nodeSparsity),
          rows.map((r) => r.weightSparsity),
        )
      : null;
  writeAtomic(
    out,
    'result.json',
    `${JSON.stringify({ dataset: flags.dataset, activation: flags.activation, samples: n, hidden: flags.hidden, epochs: flags.epochs, optimizer, threshold: flags.threshold, rows, weightVsNode: line, ...(await provenance.read()) }, null, 2)}\n`,
  );
  if (rows.length >= 2) {
    const points = rows.map((r) => ({
      weightDecay: r.weightDecay,
      nodeSparsity: r.nodeSparsity,
      weightSparsity: r.weightSparsity,
    }));
    await writeVegaLiteSvg(
      join(out, 'node-sparsity-vs-weight-decay.svg'),
      logXChart(
        `Node sparsity vs weight decay (${flags.activation})`,
        points.filter((p) => p.weightDecay > 0),
        'weightDecay',
        'nodeSparsity',
      ),
    );
    await writeVegaLiteSvg(
      join(out, 'weight-vs-node-sparsity.svg'),
      scatterWithLineChart(
        'Weight sparsity vs node sparsity',
        points,
        'nodeSparsity',
        'weightSparsity',
        line as { slope: number; intercept: number },
      ),
    );
  }
  io.out(
    `${rows.length} weight decays; weight sparsity ≈ ${line === null ? '–' : `${line.slope.toFixed(3)} × node sparsity + ${line.intercept.toFixed(3)} (R² ${line.r2.toFixed(3)})`}`,
  );
  io.out(`wrote ${join(out, 'node-sparsity.tsv')}, result.json and the figures`);
  if (interrupt.signal.aborted) process.exitCode = 130;
}
