import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { DictionaryLearning } from '@spredjs/solvers';
import {
  extractPatches,
  gaborShare,
  preparePatches,
  readGrayImage,
  writeAtomGrid,
} from '@spredjs/vision';
import { startBackend } from '../backend.js';
import type { CliIO } from '../cli-io.js';
import { prepareOutputFolder, writeAtomic } from '../output/output-folder.js';
import { startProvenance } from '../output/provenance.js';
import { listenForInterrupt } from '../interrupt.js';
import { seriesChart } from '../figures/charts.js';
import { writeVegaLiteSvg } from '../figures/render-svg.js';
import type { GlobalOptions } from '../global-options.js';
import { CliInputError } from '../io/cli-input-error.js';
import { readNpy } from '../io/read-npy.js';
import type { SparseCodeFlags } from './sparse-code.js';

/**
 * The work of `spred sparse-code` (its flags are declared in sparse-code.ts): cuts and whitens
 * patches from the images, learns the dictionary, and writes atoms.png, dictionary.bin/json,
 * result.json and learning-curve.svg to `--out`.
 *
 * @example
 * ```ts
 * const { runSparseCode } = await import('./sparse-code-run.js');
 * await runSparseCode(flags, command.optsWithGlobals<GlobalOptions>(), io);
 * ```
 */
export async function runSparseCode(
  flags: SparseCodeFlags,
  global: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const out = prepareOutputFolder(flags.out);
  const provenance = startProvenance(
    flags.patchMatrix !== undefined ? { patchMatrix: flags.patchMatrix } : { images: flags.images },
  );
  await startBackend(global.backend, io);
  const kappa = flags.alpha !== undefined ? flags.alpha / 2 : (flags.kappa ?? 0.5);
  const source =
    flags.patchMatrix !== undefined ? readPatchMatrix(flags.patchMatrix) : cutPatches(flags);
  const { patch, rows, files } = source;
  const d = patch * patch;
  if (flags.whiten === 'zca') io.err(`whitening ${rows} patches of ${d} pixels (ZCA)`);
  // Cut patches take one scale, so that α means the same for every patch size and photo
  // contrast; a --patch-matrix is used as given.
  const { train: patches, scale } = preparePatches(source.patches, d, {
    whiten: flags.whiten,
    scale: flags.patchMatrix === undefined,
  });
  if (flags.patchMatrix === undefined)
    io.err(`scaled the patches to unit mean square per pixel (× ${scale.toPrecision(4)})`);
  const interrupt = listenForInterrupt(
    io,
    'interrupted: finishing the current batch, then writing the dictionary so far',
  );
  const bar = new cliProgress.SingleBar(
    {
      format: 'sparse-code [{bar}] epoch {value}/{total} objective {objective}',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(flags.epochs, 0, { objective: '–' });
  const model = new DictionaryLearning({
    nAtoms: flags.atoms,
    alpha: 2 * kappa,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    normalization: flags.normalize,
    seed: flags.seed,
    signal: interrupt.signal,
    onEpoch: (r) => bar.update(r.epoch, { objective: r.objective.toPrecision(5) }),
  });
  try {
    await model.fit({ rows, cols: d, values: patches });
  } finally {
    bar.stop();
    interrupt.release();
  }
  const usage = atomUsage(model.codes, flags.atoms);
  const order = usageOrder(usage);
  const neverUsed = usage.filter((u) => u === 0).length;
  writeAtomGrid(join(out, 'atoms.png'), reorderAtoms(model.components, order, d), patch);
  io.err(`fitting a 2-D Gabor function to each of the ${flags.atoms} atoms`);
  const gabor = gaborShare(model.components, patch);
  writeAtomic(
    out,
    'dictionary.bin',
    Buffer.from(model.components.buffer, model.components.byteOffset, model.components.byteLength),
  );
  writeAtomic(
    out,
    'dictionary.json',
    `${JSON.stringify({ shape: [flags.atoms, d], dtype: 'float32', byteOrder: 'little', layout: 'row-major: one atom per row, each a patch in row-major order', patch }, null, 2)}\n`,
  );
  const last = model.history.at(-1);
  const result = {
    ...(flags.patchMatrix !== undefined ? { patchMatrix: flags.patchMatrix } : { images: files }),
    patch,
    patches: rows,
    atoms: flags.atoms,
    kappa,
    alpha: 2 * kappa,
    whiten: flags.whiten,
    scale,
    normalize: flags.normalize,
    epochsRun: model.history.length,
    stopReason: model.stopReason,
    codeSparsity: last?.codeSparsity ?? null,
    zeroTol: model.options.zeroTol ?? 1e-3,
    atomUsage: usage,
    atomsPngOrder: order,
    neverUsedAtoms: neverUsed,
    gaborShare: gabor.share,
    gaborR2: gabor.r2,
    history: model.history,
    ...(await provenance.read()),
  };
  writeAtomic(out, 'result.json', `${JSON.stringify(result, null, 2)}\n`);
  if (model.history.length > 0) {
    await writeVegaLiteSvg(
      join(out, 'learning-curve.svg'),
      seriesChart(
        'Sparse coding learning curve',
        model.history.map((h) => ({ ...h })),
        'epoch',
        ['objective', 'reconstructionError', 'codeSparsity'],
      ),
    );
  }
  io.out(
    `learned ${flags.atoms} atoms of ${patch}×${patch} from ${rows} patches ${flags.patchMatrix !== undefined ? `of ${flags.patchMatrix}` : `of ${files.length} images`} in ${model.history.length} epochs${model.stopReason === 'aborted' ? ' (interrupted)' : ''}`,
  );
  if (last !== undefined)
    io.out(
      `objective ${last.objective.toPrecision(5)}, reconstruction error ${(100 * last.reconstructionError).toFixed(1)}%, code sparsity ${(100 * last.codeSparsity).toFixed(1)}%, ${last.seconds.toFixed(1)} s`,
    );
  io.out(
    `wrote ${join(out, 'atoms.png')} (most used atom first), dictionary.bin, dictionary.json, result.json, learning-curve.svg`,
  );
  io.out(
    `atoms never used on the training patches: ${neverUsed} of ${flags.atoms}; Gabor-like (fitted 2-D Gabor R² ≥ 0.5): ${(100 * gabor.share).toFixed(1)}% of the atoms`,
  );
  if (model.stopReason === 'aborted') process.exitCode = 130;
}

/** How many training patches use each atom (a nonzero code), from N × k codes. */
function atomUsage(codes: Float32Array, k: number): number[] {
  const usage = new Array<number>(k).fill(0);
  for (let i = 0; i < codes.length; i++)
    if (codes[i] !== 0) usage[i % k] = (usage[i % k] as number) + 1;
  return usage;
}

/** Atom indices from most to least used (ties in dictionary order). */
function usageOrder(usage: readonly number[]): number[] {
  return usage
    .map((_, a) => a)
    .sort((a, b) => (usage[b] as number) - (usage[a] as number) || a - b);
}

/** The atoms (k × d, row-major) in the given order. */
function reorderAtoms(atoms: Float32Array, order: readonly number[], d: number): Float32Array {
  const out = new Float32Array(atoms.length);
  order.forEach((a, i) => out.set(atoms.subarray(a * d, a * d + d), i * d));
  return out;
}

/** The patches to learn from: n rows of p = patch² pixels, and where they came from. */
interface PatchSource {
  readonly patch: number;
  readonly rows: number;
  readonly patches: Float32Array;
  readonly files: readonly string[];
}

/** `--patches` patches of `--patch`² pixels cut at seeded random places of the photos in `--images`. */
function cutPatches(flags: SparseCodeFlags): PatchSource {
  let files: string[];
  try {
    files = readdirSync(flags.images)
      .filter((f) => /\.(png|jpe?g)$/i.test(f))
      .sort();
  } catch {
    throw new CliInputError(`${flags.images}: not a readable folder`);
  }
  if (files.length === 0) throw new CliInputError(`${flags.images}: no .png or .jpg images`);
  const images = files.map((f) => readGrayImage(join(flags.images, f)));
  const patches = extractPatches(images, {
    size: flags.patch,
    count: flags.patches,
    seed: flags.seed,
  });
  return { patch: flags.patch, rows: flags.patches, patches, files };
}

/**
 * `--patch-matrix`: an n × p .npy, one patch per row (p a square: the patch side is √p), every
 * value finite, at least two patches; used as it is (whitened by `--whiten`, like cut patches).
 */
function readPatchMatrix(path: string): PatchSource {
  const m = readNpy(path);
  const side = Math.round(Math.sqrt(m.cols));
  if (side * side !== m.cols)
    throw new CliInputError(
      `${path}: ${m.rows} × ${m.cols}: a row must be a square patch, and ${m.cols} is not a square`,
    );
  if (m.rows < 2)
    throw new CliInputError(`${path}: ${m.rows} patch; a dictionary needs at least 2`);
  const bad = m.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new CliInputError(
      `${path}: row ${Math.floor(bad / m.cols) + 1}, column ${(bad % m.cols) + 1}: value ${String(m.values[bad])} is not finite`,
    );
  return { patch: side, rows: m.rows, patches: Float32Array.from(m.values), files: [] };
}
