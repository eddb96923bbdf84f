import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import {
  channelStats,
  cifarResnet,
  DATASET_CLASSES,
  IMAGE_DATASETS,
  imageTensors,
  mlp,
  plannedSteps,
  PRUNE_METHODS,
  pruningCurve,
  readImageFolder,
  resnet18,
  trainableParameterCount,
  type ImageDatasetName,
  type PrunePoint,
  type PruningCurveResult,
} from '@spred/vision';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import { listenForInterrupt } from '../interrupt.js';
import { compressionChart } from '../figures/charts.js';
import { writeVegaLiteSvg } from '../figures/render-svg.js';
import type { GlobalOptions } from '../global-options.js';
import { CliInputError } from '../io/cli-input-error.js';
import {
  parseNonNegativeInteger,
  parseNonNegativeNumber,
  parseMethodList,
  parseNumberOption,
  parsePositiveInteger,
  parsePositiveIntegerList,
  parsePositiveList,
  parsePositiveNumber,
} from '../options.js';

const MODELS = ['resnet8', 'resnet20', 'resnet18', 'mlp'] as const;
const DEFAULT_THRESHOLDS = [1e-2, 3e-2, 1e-1];

interface PruneFlags {
  dataset: ImageDatasetName;
  data: string;
  model: (typeof MODELS)[number];
  hidden: number[];
  kappa: number;
  structure: 'elementwise' | 'neurons';
  spredInit: 'balanced' | 'paper';
  thresholds?: number[];
  compressions?: number[];
  methods: string;
  epochs: number;
  finetuneEpochs: number;
  trainSamples: number;
  testSamples: number;
  batchSize: number;
  lr: number;
  finetuneLr?: number;
  weightDecay: number;
  augment: 'auto' | 'on' | 'off';
  seed: number;
  out: string;
}

/** `spred prune`: accuracy vs compression of spred and the pruning baselines on MNIST-like or CIFAR data. */
export function registerPrune(program: Command, io: CliIO): void {
  program
    .command('prune')
    .description(
      'train with spred on every kernel, prune at thresholds, finetune; vs magnitude, random, SNIP and lottery tickets at the same compression',
    )
    .addOption(
      new Option('--dataset <name>', 'image data set')
        .choices([...IMAGE_DATASETS])
        .default('fashion-mnist'),
    )
    .requiredOption(
      '--data <dir>',
      'folder of the data set (IDX files for MNIST-like sets, binary batches for CIFAR)',
    )
    .addOption(new Option('--model <name>', 'network').choices([...MODELS]).default('resnet8'))
    .option('--hidden <list>', 'hidden widths of --model mlp', parsePositiveIntegerList, [300, 100])
    .option(
      '--kappa <k>',
      'κ of the spred factors (penalty 2κ‖W‖₁ on every kernel)',
      parsePositiveNumber,
      1e-3,
    )
    .addOption(
      new Option(
        '--spred-init <how>',
        "spred's factors: 'balanced' (√ of the shared init) or 'paper' (unit-variance U, He W)",
      )
        .choices(['balanced', 'paper'])
        .default('balanced'),
    )
    .addOption(
      new Option(
        '--structure <s>',
        "'elementwise' (unstructured) or 'neurons' (whole filters / units)",
      )
        .choices(['elementwise', 'neurons'])
        .default('elementwise'),
    )
    .option(
      '--thresholds <list>',
      `prune thresholds on spred's |w|; baselines are pruned to the compression each gives (default ${DEFAULT_THRESHOLDS.join(',')})`,
      parsePositiveList,
    )
    .option(
      '--compressions <list>',
      "instead of --thresholds: target compression ratios (e.g. 10,100,1000); spred's threshold is chosen to reach each",
      parsePositiveList,
    )
    .option(
      '--methods <list>',
      `comma-separated, from ${PRUNE_METHODS.join(', ')}`,
      PRUNE_METHODS.join(','),
    )
    .option(
      '--epochs <e>',
      'epochs of the first training (spred and the dense model)',
      parsePositiveInteger,
      4,
    )
    .option(
      '--finetune-epochs <f>',
      'epochs of finetuning after pruning (paper: 20)',
      parseNonNegativeInteger,
      1,
    )
    .option(
      '--train-samples <n>',
      'training images used (from the start of the set)',
      parsePositiveInteger,
      2500,
    )
    .option('--test-samples <n>', 'test images used', parsePositiveInteger, 1000)
    .option('--batch-size <b>', 'mini-batch size', parsePositiveInteger, 64)
    .option('--lr <rate>', 'Adam learning rate', parsePositiveNumber, 3e-3)
    .option(
      '--finetune-lr <rate>',
      'Adam learning rate of finetuning (default: --lr)',
      parsePositiveNumber,
    )
    .option(
      '--weight-decay <λ>',
      'decoupled weight decay on what spred does not penalize, and on plain training',
      parseNonNegativeNumber,
      5e-4,
    )
    .addOption(
      new Option('--augment <when>', 'random crop (pad 4) and flip; auto: on for CIFAR')
        .choices(['auto', 'on', 'off'])
        .default('auto'),
    )
    .option(
      '--seed <s>',
      'seed of inits, batch orders, masks and augmentation',
      parseNumberOption,
      0,
    )
    .option('--out <dir>', 'folder for the results', 'spred-out')
    .action(async (flags: PruneFlags, command: Command) => {
      const methods = parseMethodList(flags.methods, PRUNE_METHODS);
      if (flags.thresholds !== undefined && flags.compressions !== undefined)
        throw new CliInputError('give --thresholds or --compressions, not both');
      const prunePoints =
        flags.compressions !== undefined
          ? { compressions: flags.compressions }
          : { thresholds: flags.thresholds ?? DEFAULT_THRESHOLDS };
      const choice = await startBackend(command.optsWithGlobals<GlobalOptions>().backend, io);
      const trainSet = readImageFolder(flags.dataset, flags.data, 'train');
      const testSet = readImageFolder(flags.dataset, flags.data, 'test');
      const classes = DATASET_CLASSES[flags.dataset];
      const nTrain = Math.min(flags.trainSamples, trainSet.count);
      const stats = channelStats(trainSet, nTrain);
      const train = imageTensors(trainSet, { classes, count: nTrain, stats });
      const test = imageTensors(testSet, {
        classes,
        count: Math.min(flags.testSamples, testSet.count),
        stats,
      });
      const inputShape: [number, number, number] = [
        trainSet.height,
        trainSet.width,
        trainSet.channels,
      ];
      const build = () => buildModel(flags, inputShape, classes);
      const probe = build();
      const parameters = trainableParameterCount(probe);
      probe.dispose();
      const augment =
        flags.augment === 'on' || (flags.augment === 'auto' && flags.dataset.startsWith('cifar'));
      io.err(
        `${flags.model} (${parameters} parameters) on ${flags.dataset}: ${nTrain} training, ${test.labels.length} test images; methods ${methods.join(', ')}`,
      );
      mkdirSync(flags.out, { recursive: true });
      const points: PrunePoint[] = [];
      const writeCurve = () =>
        writeFileSync(
          join(flags.out, 'curve.tsv'),
          [
            'method\tthreshold\tcompression\taccuracy',
            ...points.map((p) =>
              [p.method, p.threshold ?? '', p.compression, p.accuracy].join('\t'),
            ),
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
      writeFileSync(
        join(flags.out, 'result.json'),
        `${JSON.stringify(
          {
            dataset: flags.dataset,
            model: flags.model,
            parameters,
            backend: choice.id,
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
          join(flags.out, 'curve.svg'),
          compressionChart(
            `${flags.model} on ${flags.dataset}: accuracy vs compression`,
            result.points,
          ),
        );
      for (const p of result.points)
        io.out(
          `${p.method.padEnd(10)} ${p.threshold === null ? 'unpruned ' : `t=${p.threshold}`.padEnd(9)} ${p.compression.toFixed(1).padStart(8)}×  ${(100 * p.accuracy).toFixed(1)}%`,
        );
      io.out(`wrote ${join(flags.out, 'curve.tsv')}, result.json and curve.svg`);
      if (!result.complete) process.exitCode = 130;
    });
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
