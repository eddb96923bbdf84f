import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DictionaryLearning } from '@spred/solvers';
import { applyZca, extractPatches, fitZca, readGrayImage } from '@spred/vision';
import { sklearnDictionaryLearning } from '../peers/external-peers.js';
import type { BenchSuite, CaseResult } from '../harness/suite.js';

/** The photos the CLI ships (apps/cli/data/natural-images). */
const IMAGES = fileURLToPath(new URL('../../../cli/data/natural-images/', import.meta.url));

/** mean over patches of ½‖x − Bs‖² + α‖s‖₁ with the codes of one encoder (spred's lasso transform) for every dictionary. */
function encodedObjective(
  atoms: Float32Array,
  k: number,
  d: number,
  patches: Float32Array,
  alpha: number,
): number {
  const encoder = new DictionaryLearning({ nAtoms: k, alpha });
  encoder.components = atoms;
  const n = patches.length / d;
  const codes = encoder.transform({ rows: n, cols: d, values: patches }, { maxIterations: 500 });
  let total = 0;
  for (let i = 0; i < n; i++) {
    let l1 = 0;
    const r = Float64Array.from(patches.subarray(i * d, i * d + d));
    for (let a = 0; a < k; a++) {
      const s = codes[i * k + a] as number;
      if (s === 0) continue;
      l1 += Math.abs(s);
      for (let p = 0; p < d; p++) r[p] = (r[p] as number) - s * (atoms[a * d + p] as number);
    }
    total += 0.5 * r.reduce((acc, v) => acc + v * v, 0) + alpha * l1;
  }
  return total / n;
}

/**
 * Suite `sparse-coding`: seconds per epoch and final objective of spred's dictionary learning on
 * whitened natural-image patches, for k ∈ {256, 1024} atoms (16×16 patches, 20,000 of them), and of
 * scikit-learn's MiniBatchDictionaryLearning on the same patches when it is installed. Both
 * dictionaries are scored by the same encoder on the same 1,000 held-out patches.
 */
export const sparseCodingSuite: BenchSuite = {
  name: 'sparse-coding',
  description:
    'dictionary learning on natural-image patches: spred vs scikit-learn MiniBatchDictionaryLearning',
  async run(context) {
    const [size, count, ks, epochs] = context.quick
      ? [8, 2000, [32], 2]
      : [16, 20_000, [256, 1024], 3];
    const alpha = 0.5;
    const d = size * size;
    const images = readdirSync(IMAGES)
      .filter((f) => /\.(png|jpe?g)$/i.test(f))
      .sort()
      .map((f) => readGrayImage(join(IMAGES, f)));
    const raw = extractPatches(images, { size, count: count + 1000, seed: 0 });
    const whitened = applyZca(fitZca(raw, d), raw);
    const train = whitened.subarray(0, count * d);
    const heldOut = whitened.subarray(count * d);
    const peer = sklearnDictionaryLearning();
    const why = peer.unavailable();
    if (why !== undefined) context.log(`sparse-coding: skipping scikit-learn: ${why}`);
    const cases: CaseResult[] = [];
    for (const k of ks) {
      context.log(
        `sparse-coding: spred, k=${k}, ${count} patches of ${size}×${size}, ${epochs} epochs`,
      );
      const model = await new DictionaryLearning({ nAtoms: k, alpha, epochs, seed: 0 }).fit({
        rows: count,
        cols: d,
        values: train,
      });
      const spredPerEpoch = (model.history.at(-1)?.seconds ?? NaN) / model.history.length;
      const spredObjective = encodedObjective(model.components, k, d, heldOut, alpha);
      cases.push({
        k,
        solver: 'spred',
        secondsPerEpoch: spredPerEpoch,
        epochs,
        heldOutObjective: spredObjective,
        codeSparsity: model.history.at(-1)?.codeSparsity ?? null,
        vsSpred: 1,
      });
      if (why === undefined) {
        context.log(`sparse-coding: scikit-learn, k=${k}`);
        try {
          const fit = peer.fit(Float32Array.from(train), count, d, k, alpha, epochs, 256);
          const objective = encodedObjective(
            Float32Array.from(fit.components),
            k,
            d,
            heldOut,
            alpha,
          );
          cases.push({
            k,
            solver: 'sklearn-MiniBatchDictionaryLearning',
            secondsPerEpoch: fit.secondsPerEpoch,
            epochs,
            heldOutObjective: objective,
            codeSparsity: null,
            vsSpred: fit.secondsPerEpoch / spredPerEpoch,
          });
        } catch (e) {
          context.log(
            `sparse-coding: scikit-learn failed: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
    }
    return {
      cases,
      columns: [
        'k',
        'solver',
        'secondsPerEpoch',
        'epochs',
        'heldOutObjective',
        'codeSparsity',
        'vsSpred',
      ],
    };
  },
};
