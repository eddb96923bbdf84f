import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpredInputError } from '@spredjs/core';
import { openResultsFolder, writeJsonAtomic } from '@spredjs/io';
import type * as tf from '@tensorflow/tfjs-core';
import { checkCurveOptions } from './check-curve-options.js';
import { frontsByMethod } from './pareto-front.js';
import { PRUNE_METHODS, type PruneMethod } from './prune-methods.js';
import {
  plannedSteps,
  pruningCurve,
  type PrunePoint,
  type PruningCurveOptions,
} from './pruning-curve.js';

/** Options of {@link pruningFront}: those of {@link pruningCurve} but one κ, over several κ. */
export interface PruningFrontOptions extends Omit<
  PruningCurveOptions,
  'kappa' | 'thresholds' | 'compressions' | 'onPoint'
> {
  /** The κ values, run in this order (positive, no repeats). */
  readonly kappas: readonly number[];
  /** Target compression ratios (≥ 1): spred at every κ, and the baselines, are pruned to each. */
  readonly compressions: readonly number[];
  /**
   * Folder for one JSON file per finished κ (written atomically) and `front.json`, the fingerprint
   * of the configuration; a rerun of the same configuration reads the finished κ back instead of
   * training them, and a folder of a different configuration is refused.
   */
  readonly resultsDir?: string;
  /** The model's name, part of the fingerprint (the layers' classes and weight shapes are too). */
  readonly modelName?: string;
  /** Called with each point as it is measured, or read back from `resultsDir` (`resumed`). */
  readonly onPoint?: (point: FrontPoint, resumed: boolean) => void;
  /** Called as each κ starts or is read back; `steps` is its share of {@link plannedFrontSteps}. */
  readonly onKappa?: (event: KappaEvent) => void;
}

/** A point of {@link pruningFront}: a {@link PrunePoint} and the κ it was trained with. */
export interface FrontPoint extends PrunePoint {
  /** κ of spred's training behind the point: spred's points and lottery's pruned ones; null for the baselines. */
  readonly kappa: number | null;
}

/** What {@link PruningFrontOptions.onKappa} is told. */
export interface KappaEvent {
  readonly kappa: number;
  /** 0-based position in `kappas`. */
  readonly index: number;
  /** True when the κ was read back from `resultsDir`. */
  readonly resumed: boolean;
  /** Whether this κ's run carries the κ-independent baselines. */
  readonly baselines: boolean;
  /** Optimizer steps of this κ's run. */
  readonly steps: number;
}

/** The result of {@link pruningFront}. */
export interface PruningFrontResult {
  /** Every point, κ by κ in the order of `kappas`. */
  readonly points: FrontPoint[];
  /** The Pareto front (see `paretoFront`) of each method over all its κ, by increasing compression. */
  readonly fronts: Partial<Record<PruneMethod, FrontPoint[]>>;
  readonly kappas: readonly number[];
  /** False when interrupted through `signal` (the interrupted κ is not saved as finished). */
  readonly complete: boolean;
}

/** Methods whose points depend on κ: they run at every κ; the others only once. */
const KAPPA_METHODS: readonly PruneMethod[] = ['spred', 'lottery'];

/** Number of optimizer steps {@link pruningFront} takes when no κ is read back. */
export function plannedFrontSteps(
  options: Pick<
    PruningFrontOptions,
    'train' | 'epochs' | 'finetuneEpochs' | 'compressions' | 'methods' | 'batchSize' | 'kappas'
  >,
): number {
  const methods = options.methods ?? PRUNE_METHODS;
  const later = methods.filter((m) => KAPPA_METHODS.includes(m));
  const first = plannedSteps({ ...options, methods });
  const rest = later.length === 0 ? 0 : plannedSteps({ ...options, methods: later });
  return options.kappas.length === 0 ? 0 : first + (options.kappas.length - 1) * rest;
}

/**
 * The accuracy–compression Pareto front over κ: {@link pruningCurve} at each κ with the same target
 * `compressions`, spred trained once per κ and its points shared by every target. The baselines do
 * not depend on κ, so they run once, with the first κ run; lottery (spred's mask on the init) and
 * spred run at every κ. `fronts` holds each method's non-dominated points over all its κ.
 *
 * With `resultsDir`, every finished κ is saved at once (`kappa-<κ>.json`, written to `.tmp` and
 * renamed) beside `front.json`, the fingerprint of what the points depend on apart from κ (the
 * options, the model's name and layers, the data sizes); a rerun of the same configuration reads
 * them back instead of training, and may add κ. An interrupted κ is not saved.
 *
 * @example
 * ```ts
 * const front = await pruningFront({
 *   build: () => mlp({ inputShape: [28, 28, 1], hidden: [300, 100], classes: 10, seed: 0 }),
 *   train, test, kappas: [1e-4, 1e-3, 1e-2], compressions: [10, 100], epochs: 5, finetuneEpochs: 2,
 *   resultsDir: 'out/kappas', modelName: 'mlp',
 * });
 * front.fronts.spred; // spred's best accuracy at each compression, over every κ
 * ```
 */
export async function pruningFront(options: PruningFrontOptions): Promise<PruningFrontResult> {
  const methods = options.methods ?? PRUNE_METHODS;
  const { kappas } = options;
  if (kappas.length === 0) throw new SpredInputError('kappas must be a non-empty list');
  const bad = kappas.filter((k) => !(Number.isFinite(k) && k > 0));
  if (bad.length > 0)
    throw new SpredInputError(`kappas must be positive numbers, got ${kappas.join(',')}`);
  const repeated = kappas.filter((k, i) => kappas.indexOf(k) !== i);
  if (repeated.length > 0)
    throw new SpredInputError(`kappas must differ, got ${repeated[0]} twice`);
  const {
    onPoint: _onPoint,
    onKappa: _onKappa,
    resultsDir: _dir,
    modelName: _name,
    kappas: _kappas,
    ...curve
  } = options;
  checkCurveOptions({ ...curve, kappa: kappas[0] as number }, methods);

  const dir = options.resultsDir;
  const fingerprint = dir === undefined ? '' : prepareResultsDir(dir, await configuration(options));
  const fileOf = (kappa: number) => join(dir as string, `kappa-${kappa}.json`);
  const saved = new Map<number, SavedKappa>();
  if (dir !== undefined)
    for (const kappa of kappas)
      if (existsSync(fileOf(kappa)))
        saved.set(kappa, JSON.parse(readFileSync(fileOf(kappa), 'utf8')) as SavedKappa);
  // The baselines run with the first κ that is trained, unless a saved κ of this list has them.
  let baselinesDone = [...saved.values()].some((s) => s.baselines);
  let baselinesShown = false;
  const later = methods.filter((m) => KAPPA_METHODS.includes(m));
  const steps = (ms: readonly PruneMethod[]) =>
    plannedSteps({ ...options, methods: ms, compressions: options.compressions });

  const points: FrontPoint[] = [];
  let complete = true;
  for (const [index, kappa] of kappas.entries()) {
    const old = saved.get(kappa);
    if (old !== undefined) {
      // Two κ saved by separate runs may both carry the baselines: they are shown once.
      const baselines: boolean = old.baselines && !baselinesShown;
      baselinesShown ||= baselines;
      const event = { kappa, index, resumed: true, baselines };
      options.onKappa?.({ ...event, steps: steps(baselines ? methods : later) });
      for (const p of old.points) {
        if (p.kappa === null && !baselines) continue;
        points.push(p);
        options.onPoint?.(p, true);
      }
      continue;
    }
    const baselines: boolean = !baselinesDone;
    const runMethods = baselines ? methods : later;
    if (runMethods.length === 0) continue; // only baselines asked for, and they have run
    options.onKappa?.({ kappa, index, resumed: false, baselines, steps: steps(runMethods) });
    const run: FrontPoint[] = [];
    const result = await pruningCurve({
      ...curve,
      kappa,
      compressions: options.compressions,
      methods: runMethods,
      onPoint: (p) => {
        const point = { ...p, kappa: dependsOnKappa(p) ? kappa : null };
        run.push(point);
        points.push(point);
        options.onPoint?.(point, false);
      },
    });
    if (!result.complete) {
      complete = false;
      break;
    }
    baselinesDone = true;
    baselinesShown ||= baselines;
    if (dir !== undefined) {
      const record: SavedKappa = { fingerprint, kappa, baselines, points: run };
      writeJsonAtomic(fileOf(kappa), record);
    }
  }
  return { points, fronts: frontsByMethod(points), kappas: [...kappas], complete };
}

/** One finished κ as saved in `resultsDir`. */
interface SavedKappa {
  readonly fingerprint: string;
  readonly kappa: number;
  readonly baselines: boolean;
  readonly points: FrontPoint[];
}

/** spred's points and lottery's pruned ones come from spred's training at κ; the rest do not. */
function dependsOnKappa(p: PrunePoint): boolean {
  return p.method === 'spred' || (p.method === 'lottery' && p.threshold !== null);
}

/** Everything but κ that the points depend on, defaults resolved, as plain JSON. */
async function configuration(options: PruningFrontOptions): Promise<Record<string, unknown>> {
  const probe = options.build();
  const layers = probe.layers.map((l) => l.getClassName());
  const weights = probe.weights.map((w) => w.shape.join('×'));
  // The contents count too: another data set of the same size, or another seed of the same model,
  // must not be resumed from these points.
  let init: string;
  try {
    init = await digest(probe.weights.map((w) => w.read()));
  } finally {
    probe.dispose();
  }
  const data = await digest(
    [options.train.x, options.train.y, options.test.x],
    options.test.labels,
  );
  const learningRate = options.learningRate ?? 1e-3;
  return {
    model: options.modelName ?? null,
    layers: layers.join(','),
    weights: weights.join(','),
    initialWeights: init,
    data,
    train: `${options.train.x.shape.join('×')} / ${options.train.y.shape.join('×')}`,
    test: `${options.test.x.shape.join('×')} / ${options.test.labels.length}`,
    spredInit: options.spredInit ?? 'balanced',
    structure: options.structure ?? 'elementwise',
    compressions: options.compressions.join(','),
    methods: (options.methods ?? PRUNE_METHODS).join(','),
    epochs: options.epochs,
    finetuneEpochs: options.finetuneEpochs,
    learningRate,
    finetuneLearningRate: options.finetuneLearningRate ?? learningRate,
    batchSize: options.batchSize ?? 128,
    weightDecay: options.weightDecay ?? 5e-4,
    augment: options.augment === true,
    minimumPerLayer: options.minimumPerLayer ?? 0,
    certifiedPoint: options.certifiedPoint !== false,
    seed: options.seed ?? 0,
  };
}

/** SHA-256 (16 hex digits) of the values of some tensors and of a label list. */
async function digest(tensors: readonly tf.Tensor[], labels?: ArrayLike<number>): Promise<string> {
  const hash = createHash('sha256');
  for (const t of tensors) {
    const values = await t.data();
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  if (labels !== undefined) hash.update(Float64Array.from(Array.from(labels)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Creates `dir` with `front.json` (the fingerprint and the configuration it hashes), or checks the
 * one there; a different configuration is refused, naming what differs. Returns the fingerprint.
 */
function prepareResultsDir(dir: string, config: Record<string, unknown>): string {
  const key = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
  const check = openResultsFolder(dir, 'front.json', key, config);
  if (!check.matches)
    throw new SpredInputError(
      `${dir} holds κ runs of a different configuration (${check.changed.join('; ') || 'fingerprint'}); choose another folder or delete it`,
    );
  return key;
}
