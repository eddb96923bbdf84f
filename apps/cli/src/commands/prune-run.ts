import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import cliProgress from 'cli-progress';
import {
  channelStats,
  cifarResnet,
  DATASET_CLASSES,
  imageTensors,
  mlp,
  plannedSteps,
  pruningCurve,
  readImageFolder,
  resnet18,
  trainableParameterCount,
  type PruneMethod,
  type PrunePoint,
  type PruningCurveResult,
} from '@spred/vision';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import { CliInputError } from '../io/cli-input-error.js';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import { startProvenance } from '../output/provenance.js';
import { listenForInterrupt } from '../interrupt.js';
import { compressionChart } from '../figures/charts.js';
import { writeVegaLiteSvg } from '../figures/render-svg.js';
import type { GlobalOptions } from '../global-options.js';
import { DEFAULT_THRESHOLDS, type PruneFlags } from './prune.js';

/**
 * The work of `spred prune` (its flags are declared and checked in prune.ts): trains spred and
 * the dense model, prunes at each point, finetunes, compares with the baselines `methods`, and
 * writes curve.tsv, result.json and curve.svg to `--out`.
 *
 * @example
 * ```ts
 * const { runPrune } = await import('./prune-run.js');
 * await runPrune(flags, ['spred', 'magnitude'], command.optsWithGlobals<GlobalOptions>(), io);
 * ```
 */
export async function runPrune(
  flags: PruneFlags,
  methods: readonly PruneMethod[],
  global: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const prunePoints =
    flags.compressions !== undefined
      ? { compressions: flags.compressions }
      : { thresholds: flags.thresholds ?? DEFAULT_THRESHOLDS };
  const out = prepareOutputFolder(flags.out);
  const provenance = startProvenance({ data: flags.data });
  const choice = await startBackend(global.backend, io);
  const trainSet = readImageFolder(flags.dataset, flags.data, 'train');
  const testSet = readImageFolder(flags.dataset, flags.data, 'test');
  const classes = DATASET_CLASSES[flags.dataset];
  const nTrain = Math.min(flags.trainSamples, trainSet.count);
  if (nTrain < 2)
    throw new CliInputError(
      `${flags.data}: ${nTrain} training image${nTrain === 1 ? '' : 's'}: a fit needs at least two`,
    );
  const stats = channelStats(trainSet, nTrain);
  const train = imageTensors(trainSet, { classes, count: nTrain, stats });
  const test = imageTensors(testSet, {
    classes,
    count: Math.min(flags.testSamples, testSet.count),
    stats,
  });
  const inputShape: [number, number, number] = [trainSet.height, trainSet.width, trainSet.channels];
  const build = () => buildModel(flags, inputShape, classes);
  const probe = build();
  const parameters = trainableParameterCount(probe);
  probe.dispose();
  const augment =
    flags.augment === 'on' || (flags.augment === 'auto' && flags.dataset.startsWith('cifar'));
  io.err(
    `${flags.model} (${parameters} parameters) on ${flags.dataset}: ${nTrain} training, ${test.labels.length} test images; methods ${methods.join(', ')}`,
  );
  const points: PrunePoint[] = [];
  const writeCurve = () =>
    writeAtomic(
      out,
      'curve.tsv',
      [
        'method\tthreshold\tcompression\taccuracy',
        ...points.map((p) => [p.method, p.threshold ?? '', p.compression, p.accuracy].join('\t')),
      ].join('\n') + '\n',
    );
  writeCurve(); // the header now; a row as each point is measured
  const interrupt = listenForInterrupt(
    io,
    'interrupted: stopping after this step and writing the points measured so far',
  );
  const curveOptions = {
    build,
    train: { x: train.x, y: train.y },
    test: { x: test.x, labels: test.labels },
    kappa: flags.kappa,
    structure: flags.structure,
    spredInit: flags.spredInit,
    ...prunePoints,
    methods,
    epochs: flags.epochs,
    finetuneEpochs: flags.finetuneEpochs,
    learningRate: flags.lr,
    ...(flags.finetuneLr === undefined ? {} : { finetuneLearningRate: flags.finetuneLr }),
    batchSize: flags.batchSize,
    weightDecay: flags.weightDecay,
    minimumPerLayer: flags.minPerLayer,
    augment,
    seed: flags.seed,
    signal: interrupt.signal,
  };
  const bar = new cliProgress.SingleBar(
    {
      format: 'prune [{bar}] {percentage}% | ETA {eta_formatted} | {run}',
      stream: process.stderr,
      etaBuffer: 200,
      // A long run is often logged to a file: print the bar there too, once a minute.
      noTTYOutput: true,
      notTTYSchedule: 60_000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(plannedSteps(curveOptions), 0, { run: 'spred' });
  let result: PruningCurveResult;
  try {
    result = await pruningCurve({
      ...curveOptions,
      onStep: () => bar.increment(),
      onEpoch: (e) =>
        bar.update({ run: `${e.run} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)}` }),
      onPoint: (p) => {
        points.push(p);
        writeCurve();
      },
    });
  } finally {
    bar.stop();
    interrupt.release();
    tf.dispose([train.x, train.y, test.x, test.y]);
  }
  writeAtomic(
    out,
    'result.json',
    `${JSON.stringify(
      {
        dataset: flags.dataset,
        model: flags.model,
        parameters,
        backend: choice.id,
        ...(await provenance.read()),
        complete: result.complete,
        trainSamples: nTrain,
        testSamples: test.labels.length,
        kappa: flags.kappa,
        structure: flags.structure,
        spredInit: flags.spredInit,
        ...prunePoints,
        epochs: flags.epochs,
        finetuneEpochs: flags.finetuneEpochs,
        batchSize: flags.batchSize,
        learningRate: flags.lr,
        finetuneLearningRate: flags.finetuneLr ?? flags.lr,
        weightDecay: flags.weightDecay,
        minimumPerLayer: flags.minPerLayer,
        augment,
        seed: flags.seed,
        points: result.points,
      },
      null,
      2,
    )}\n`,
  );
  if (result.points.length > 0)
    await writeVegaLiteSvg(
      join(out, 'curve.svg'),
      compressionChart(
        `${flags.model} on ${flags.dataset}: accuracy vs compression`,
        result.points,
      ),
    );
  for (const p of result.points)
    io.out(
      `${p.method.padEnd(10)} ${p.threshold === null ? 'unpruned ' : `t=${p.threshold}`.padEnd(9)} ${p.compression.toFixed(1).padStart(8)}×  ${(100 * p.accuracy).toFixed(1)}%`,
    );
  io.out(`wrote ${join(out, 'curve.tsv')}, result.json and curve.svg`);
  if (!result.complete) process.exitCode = 130;
}

function buildModel(
  flags: PruneFlags,
  inputShape: [number, number, number],
  classes: number,
): tfl.LayersModel {
  const common = { inputShape, classes, seed: flags.seed };
  switch (flags.model) {
    case 'mlp':
      return mlp({ ...common, hidden: flags.hidden });
    case 'resnet18':
      return resnet18(common);
    case 'resnet8':
      return cifarResnet(8, common);
    case 'resnet20':
      return cifarResnet(20, common);
  }
}
