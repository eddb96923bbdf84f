import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import cliProgress from 'cli-progress';
import {
  cifarResnet,
  lenet5,
  logitsClassifier,
  type LogitsClassifier,
  mlp,
  plannedFrontSteps,
  plannedSteps,
  pruningCurve,
  pruningFront,
  resnet18,
  trainableParameterCount,
  type PruneEpochEvent,
  type PruneMethod,
  type PrunePoint,
  type FrontPoint,
  type PruningCurveResult,
  type PruningFrontResult,
  type TrainedWeights,
} from '@spredjs/vision';
import { loadModel } from '@spredjs/io';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import { CliInputError } from '../io/cli-input-error.js';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import { startProvenance } from '../output/provenance.js';
import { listenForInterrupt } from '../interrupt.js';
import { compressionChart, frontChart } from '../figures/charts.js';
import { writeVegaLiteSvg } from '../figures/render-svg.js';
import { weightHistogram, weightHistogramChart } from '../figures/weight-histogram.js';
import type { GlobalOptions } from '../global-options.js';
import { DEFAULT_THRESHOLDS, PRESET_MODELS, type PruneFlags } from './prune.js';
import { pruneData, type PruneData } from './prune-data.js';
import {
  exportLine,
  exportPoint,
  pointFolder,
  type ExportContext,
  type ExportRecord,
} from './prune-export.js';

/**
 * The work of `spred prune` (its flags are declared and checked in prune.ts): trains spred and
 * the dense model, prunes at each point, finetunes, compares with the baselines `methods`, and
 * writes curve.tsv, result.json and curve.svg to `--out`; with `--kappas`, the Pareto front over
 * κ (front.tsv, result.json, front.svg, and the finished κ in `--out`/kappas/ to resume from).
 * Both also write weights-histogram.svg, the largest layer's weights after spred and plain training.
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
  const provenance = startProvenance({ data: flags.data ?? flags.x ?? flags.images ?? '' });
  const choice = await startBackend(global.backend, io);
  const user = isPresetModel(flags.model) ? undefined : await userClassifier(flags.model);
  let data: PruneData;
  try {
    data = pruneData(flags, user);
  } catch (error) {
    user?.model.dispose();
    throw error;
  }
  const { train, test, classes } = data;
  const nTrain = train.x.shape[0] as number;
  const build = oneModel(user, () => buildModel(flags, data.sampleShape, classes));
  const parameters =
    user === undefined
      ? presetParameters(flags, data.sampleShape, classes)
      : trainableParameterCount(user.model);
  const augment = flags.augment === 'on' || (flags.augment === 'auto' && data.augmentByDefault);
  const modelName = user === undefined ? flags.model : `${flags.model} (yours)`;
  io.err(
    `${modelName} (${parameters} parameters) on ${data.name}: ${nTrain} training, ${test.labels.length} test ${flags.x === undefined ? 'images' : 'samples'}; methods ${methods.join(', ')}`,
  );
  const setting = {
    flags,
    methods,
    out,
    provenance,
    backend: choice.id,
    parameters,
    nTrain,
    augment,
    dataName: data.name,
    user,
    test,
    classNames: data.classNames,
  };
  const base = {
    build,
    train: { x: train.x, y: train.y },
    test: { x: test.x, labels: test.labels },
    structure: flags.structure,
    spredInit: flags.spredInit,
    methods,
    epochs: flags.epochs,
    finetuneEpochs: flags.finetuneEpochs,
    learningRate: flags.lr,
    ...(flags.finetuneLr === undefined ? {} : { finetuneLearningRate: flags.finetuneLr }),
    batchSize: flags.batchSize,
    weightDecay: flags.weightDecay,
    minimumPerLayer: flags.minPerLayer,
    certifiedPoint: flags.certified,
    augment,
    seed: flags.seed,
  };
  try {
    if (flags.kappas !== undefined && flags.compressions !== undefined)
      await runFront(setting, base, flags.kappas, flags.compressions, test.labels.length, io);
    else await runCurve(setting, base, prunePoints, test.labels.length, io);
  } finally {
    tf.dispose([train.x, train.y, test.x]);
  }
}

/** Whether `--model` names a built-in network (anything else is a path to a saved model). */
function isPresetModel(name: string): name is (typeof PRESET_MODELS)[number] {
  return (PRESET_MODELS as readonly string[]).includes(name);
}

/** `--model PATH`: the user's saved tfjs-layers model, as a classifier with logits out. */
async function userClassifier(path: string): Promise<LogitsClassifier> {
  const model = await loadModel(path);
  try {
    return await logitsClassifier(model);
  } catch (error) {
    if (error instanceof Error && error.name === 'SpredInputError')
      throw new CliInputError(`--model ${path}: ${error.message}`);
    throw error;
  } finally {
    model.dispose();
  }
}

/**
 * The curve's `build`: the user's model, given once (its weights are the shared init), or a
 * fresh built-in network.
 */
function oneModel(
  user: LogitsClassifier | undefined,
  preset: () => tfl.LayersModel,
): () => tfl.LayersModel {
  if (user === undefined) return preset;
  let given = false;
  return () => {
    if (given) throw new Error('the user model is built once');
    given = true;
    return user.model;
  };
}

function presetParameters(
  flags: PruneFlags,
  sampleShape: readonly number[],
  classes: number,
): number {
  const probe = buildModel(flags, sampleShape, classes);
  try {
    return trainableParameterCount(probe);
  } finally {
    probe.dispose();
  }
}

/** What both modes of `spred prune` share once the data are loaded. */
interface PruneSetting {
  readonly flags: PruneFlags;
  readonly methods: readonly PruneMethod[];
  readonly out: string;
  readonly provenance: ReturnType<typeof startProvenance>;
  readonly backend: string;
  readonly parameters: number;
  readonly nTrain: number;
  readonly augment: boolean;
  /** The data set's name or the --x file. */
  readonly dataName: string;
  /** The user's classifier (`--model PATH`), undefined for a built-in model. */
  readonly user: LogitsClassifier | undefined;
  readonly test: PruneData['test'];
  /** `--images`: the class names, label k is `classNames[k]`. */
  readonly classNames: readonly string[] | undefined;
}

/** The κ-independent options of the curve and the front. */
type BaseOptions = Omit<
  Parameters<typeof pruningCurve>[0],
  'kappa' | 'thresholds' | 'compressions'
>;

/** result.json's fields that both modes write. */
async function commonResult(setting: PruneSetting, testSamples: number) {
  const { flags } = setting;
  return {
    dataset: setting.dataName,
    ...(setting.user === undefined ? {} : { outputActivation: setting.user.outputActivation }),
    ...(setting.classNames === undefined ? {} : { classes: setting.classNames }),
    model: flags.model,
    parameters: setting.parameters,
    backend: setting.backend,
    ...(await setting.provenance.read()),
    trainSamples: setting.nTrain,
    testSamples,
    structure: flags.structure,
    spredInit: flags.spredInit,
    epochs: flags.epochs,
    finetuneEpochs: flags.finetuneEpochs,
    batchSize: flags.batchSize,
    learningRate: flags.lr,
    finetuneLearningRate: flags.finetuneLr ?? flags.lr,
    weightDecay: flags.weightDecay,
    minimumPerLayer: flags.minPerLayer,
    augment: setting.augment,
    seed: flags.seed,
  };
}

/** result.json of either mode: the common fields, the mode's own, and the weight histogram. */
async function writeResult(
  setting: PruneSetting,
  testSamples: number,
  histogram: ReturnType<typeof weightHistogram> | undefined,
  fields: Record<string, unknown>,
): Promise<void> {
  const result = {
    ...(await commonResult(setting, testSamples)),
    ...fields,
    ...(histogram === undefined ? {} : { weightsHistogram: histogram }),
  };
  writeAtomic(setting.out, 'result.json', `${JSON.stringify(result, null, 2)}\n`);
}

/** The progress hooks of both modes: a step advances the bar, an epoch names the run. */
function barHooks(bar: cliProgress.SingleBar) {
  return {
    onStep: () => bar.increment(),
    onEpoch: (e: PruneEpochEvent) =>
      bar.update({ run: `${e.run} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(3)}` }),
  };
}

/** The progress bar of both modes. */
function progressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
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
}

/** One κ: curve.tsv, result.json and curve.svg. */
async function runCurve(
  setting: PruneSetting,
  base: BaseOptions,
  prunePoints: { compressions: number[] } | { thresholds: number[] },
  testSamples: number,
  io: CliIO,
): Promise<void> {
  const { flags, out } = setting;
  const points: PrunePoint[] = [];
  const writeCurve = () =>
    writeAtomic(
      out,
      'curve.tsv',
      [
        'method\tthreshold\tcompression\taccuracy\tflops\tflopCompression',
        ...points.map((p) =>
          [
            p.method,
            p.threshold ?? '',
            p.compression,
            p.accuracy,
            p.flops ?? '',
            p.flopCompression ?? '',
          ].join('\t'),
        ),
      ].join('\n') + '\n',
    );
  writeCurve(); // the header now; a row as each point is measured
  const interrupt = listenForInterrupt(
    io,
    'interrupted: stopping after this step and writing the points measured so far',
  );
  const curveOptions = { ...base, kappa: flags.kappa, ...prunePoints, signal: interrupt.signal };
  const trained: TrainedWeights[] = [];
  const exports: ExportRecord[] = [];
  const bar = progressBar();
  bar.start(plannedSteps(curveOptions), 0, { run: 'spred' });
  let result: PruningCurveResult;
  try {
    result = await pruningCurve({
      ...curveOptions,
      ...barHooks(bar),
      onPoint: (p) => {
        points.push(p);
        writeCurve();
      },
      onTrained: (w) => trained.push(w),
      ...(flags.export ? { onSpredModel: exporter(setting, prunePoints, exports) } : {}),
    });
  } finally {
    bar.stop();
    interrupt.release();
  }
  const histogram = await writeWeightHistogram(setting, trained);
  await writeResult(setting, testSamples, histogram, {
    complete: result.complete,
    kappa: flags.kappa,
    ...prunePoints,
    points: result.points,
    ...(flags.export ? { exports } : {}),
  });
  for (const record of exports) io.out(exportLine(record));
  if (result.points.length > 0)
    await writeVegaLiteSvg(
      join(out, 'curve.svg'),
      compressionChart(
        `${flags.model} on ${setting.dataName}: accuracy vs compression`,
        result.points,
      ),
    );
  for (const p of result.points)
    io.out(
      `${p.method.padEnd(10)} ${pointLabel(p.threshold).padEnd(11)} ${p.compression.toFixed(1).padStart(8)}×  ${(100 * p.accuracy).toFixed(1)}%`,
    );
  io.out(
    `wrote ${join(out, 'curve.tsv')}, result.json and curve.svg${histogram === undefined ? '' : ', weights-histogram.svg'}`,
  );
  if (!result.complete) process.exitCode = 130;
}

/** How the terminal names a point: unpruned, certified or its threshold. */
function pointLabel(threshold: PrunePoint['threshold']): string {
  if (threshold === null) return 'unpruned';
  return threshold === 'certified' ? 'certified' : `t=${threshold.toPrecision(3)}`;
}

/**
 * `--export`: the curve's hook that writes spred's model at each point to `--out`/export/<point>/
 * and records what was written. The k-th threshold point is the k-th `--compressions` target.
 */
function exporter(
  setting: PruneSetting,
  prunePoints: { compressions: number[] } | { thresholds: number[] },
  records: ExportRecord[],
): (point: PrunePoint, model: tfl.LayersModel) => Promise<void> {
  const { flags } = setting;
  const targets = 'compressions' in prunePoints ? prunePoints.compressions : undefined;
  const context: ExportContext = {
    folder: join(setting.out, 'export'),
    structure: flags.structure,
    quantize: flags.quantize,
    outputActivation: setting.user?.outputActivation ?? 'linear',
    test: setting.test,
  };
  let numbered = 0;
  return async (point, model) => {
    const target = point.threshold === 'certified' ? undefined : targets?.[numbered++];
    records.push(await exportPoint(model, point, pointFolder(point, target), context));
  };
}

/**
 * Several κ: the Pareto front over κ at the target compressions. front.tsv grows as points come,
 * each finished κ is saved in `--out`/kappas/ (a rerun of the same command reads them back).
 */
async function runFront(
  setting: PruneSetting,
  base: BaseOptions,
  kappas: readonly number[],
  compressions: readonly number[],
  testSamples: number,
  io: CliIO,
): Promise<void> {
  const { flags, out } = setting;
  const points: FrontPoint[] = [];
  const writeFront = () =>
    writeAtomic(
      out,
      'front.tsv',
      [
        'method\tkappa\tthreshold\tcompression\taccuracy\tflops\tflopCompression',
        ...points.map((p) =>
          [
            p.method,
            p.kappa ?? '',
            p.threshold ?? '',
            p.compression,
            p.accuracy,
            // κ saved by a version before FLOPs were counted have none.
            p.flops ?? '',
            p.flopCompression ?? '',
          ].join('\t'),
        ),
      ].join('\n') + '\n',
    );
  writeFront();
  const interrupt = listenForInterrupt(
    io,
    'interrupted: stopping after this step; the finished κ are kept (rerun the same command to resume)',
  );
  const frontOptions = {
    ...base,
    kappas,
    compressions,
    resultsDir: join(out, 'kappas'),
    modelName: flags.model === 'mlp' ? `mlp ${flags.hidden.join(',')}` : flags.model,
    signal: interrupt.signal,
  };
  const trained: TrainedWeights[] = [];
  const bar = progressBar();
  bar.start(plannedFrontSteps(frontOptions), 0, { run: `spred κ=${kappas[0]}` });
  let result: PruningFrontResult;
  try {
    result = await pruningFront({
      ...frontOptions,
      ...barHooks(bar),
      onKappa: (e) => {
        if (e.resumed) bar.increment(e.steps, { run: `κ=${e.kappa} (saved)` });
        else bar.update({ run: `spred κ=${e.kappa}` });
      },
      onPoint: (p) => {
        points.push(p);
        writeFront();
      },
      onTrained: (w) => trained.push(w),
    });
  } finally {
    bar.stop();
    interrupt.release();
  }
  const histogram = await writeWeightHistogram(setting, trained);
  await writeResult(setting, testSamples, histogram, {
    complete: result.complete,
    kappas: result.kappas,
    compressions,
    fronts: result.fronts,
    points: result.points,
  });
  const dense = result.points.find((p) => p.method !== 'spred' && p.threshold === null);
  if (result.points.length > 0)
    await writeVegaLiteSvg(
      join(out, 'front.svg'),
      frontChart(
        `${flags.model} on ${setting.dataName}: accuracy vs compression over κ = ${kappas.join(', ')}`,
        result.points,
        result.fronts,
        dense?.accuracy,
      ),
    );
  for (const [method, front] of Object.entries(result.fronts))
    io.out(
      `${method.padEnd(10)} ${front
        .map(
          (p) =>
            `${p.compression.toFixed(1)}× ${(100 * p.accuracy).toFixed(1)}%${p.kappa === null ? '' : ` (κ=${p.kappa})`}`,
        )
        .join(', ')}`,
    );
  io.out(
    `wrote ${join(out, 'front.tsv')}, result.json and front.svg${histogram === undefined ? '' : ', weights-histogram.svg'}`,
  );
  if (!result.complete) process.exitCode = 130;
}

/**
 * weights-histogram.svg (the paper's Figure 5, left): the largest kernel after spred's training at
 * each κ trained in this run, and after plain training, in the same bins. Returns the histogram
 * for result.json; undefined when nothing was trained (an interrupted or fully resumed run).
 */
async function writeWeightHistogram(
  setting: PruneSetting,
  trained: readonly TrainedWeights[],
): Promise<ReturnType<typeof weightHistogram> | undefined> {
  const first = trained[0];
  if (first === undefined) return undefined;
  const series: Record<string, Float32Array> = {};
  for (const w of trained) series[`spred κ=${w.kappa}`] = w.spred;
  const dense = trained.find((w) => w.dense !== null)?.dense;
  if (dense !== null && dense !== undefined) series['dense (plain training)'] = dense;
  const histogram = weightHistogram(first.layer, series);
  const { flags } = setting;
  await writeVegaLiteSvg(
    join(setting.out, 'weights-histogram.svg'),
    weightHistogramChart(
      `${flags.model} on ${setting.dataName}: weights of ${first.layer}, the largest layer`,
      histogram,
    ),
  );
  return histogram;
}

function buildModel(
  flags: PruneFlags,
  sampleShape: readonly number[],
  classes: number,
): tfl.LayersModel {
  const name = flags.model;
  if (!isPresetModel(name)) throw new Error(`${name} is no built-in model`);
  if (name !== 'mlp' && sampleShape.length !== 3)
    throw new CliInputError(
      `--model ${name} takes images (height, width, channels); a sample has shape (${sampleShape.join(', ')})`,
    );
  const inputShape = [...sampleShape] as [number, number, number];
  const common = { inputShape, classes, seed: flags.seed };
  switch (name) {
    case 'mlp':
      return mlp({ ...common, hidden: flags.hidden });
    case 'lenet5':
      return lenet5(common);
    case 'resnet18':
      return resnet18(common);
    case 'resnet8':
      return cifarResnet(8, common);
    case 'resnet20':
      return cifarResnet(20, common);
  }
}
