import { join } from 'node:path';
import { lassoPath, type RegularizationPath } from '@spredjs/solvers/linear';
import type { CliIO } from '../cli-io.js';
import { BUNDLED_DATA_DIR } from '../demo/bundled-data-dir.js';
import { readExpressionFolder } from '../demo/bundled-data.js';
import type { LassoDemoOptions } from './lasso-demo.js';

/** Largest |P_spred − P_ref| / P_ref along the path that still counts as agreement. */
const AGREEMENT = 1e-8;

/**
 * The work of `spred lasso-demo`: the whole bundled Alon colon set (62 samples × 2,000 genes,
 * log2, with an intercept) regressed on its tumour/normal label along a regularization path,
 * by spred and by the exact reference (coordinate descent at tol 1e-10), both warm-started.
 * Every spred point is certified by its float64 duality gap; the demo fails unless every point
 * meets `tol` and agrees with the reference's objective and support.
 *
 * @example
 * ```ts
 * const result = runLassoDemo({ nAlphas: 50, eps: 1e-2, tol: 1e-8 }, processIO);
 * if (!result.agrees) process.exitCode = 1;
 * ```
 */
export function runLassoDemo(options: LassoDemoOptions, io: CliIO) {
  const data = readExpressionFolder(join(BUNDLED_DATA_DIR, 'alon'));
  const n = data.samples.length;
  const g = data.genes.length;
  const x = {
    rows: n,
    cols: g,
    values: Float64Array.from(data.values, (v) => Math.log2(Math.max(v, 1))),
  };
  const y = data.labels.map((l) => (l === 't' ? 1 : 0));
  const grid = { nAlphas: options.nAlphas, eps: options.eps };
  const time = (solve: () => RegularizationPath) => {
    const started = performance.now();
    const path = solve();
    return { path, seconds: (performance.now() - started) / 1000 };
  };
  const spred = time(() => lassoPath(x, y, { ...grid, tol: options.tol }));
  const reference = time(() => lassoPath(x, y, { ...grid, solver: 'cd', tol: 1e-10 }));
  const scale = Math.max(...spred.path.objectives);
  const points = spred.path.alphas.map((alpha, i) => {
    const objective = spred.path.objectives[i] as number;
    const exact = reference.path.objectives[i] as number;
    const sameSupport = (spred.path.coefs[i] as number[]).every(
      (v, j) => (v !== 0) === ((reference.path.coefs[i] as number[])[j] !== 0),
    );
    return {
      alpha,
      nnz: spred.path.nnz[i] as number,
      gapOverP0: (spred.path.gaps[i] as number) / scale,
      relativeDifference: (objective - exact) / exact,
      sameSupport,
    };
  });
  const certified = points.every((p) => p.gapOverP0 <= options.tol);
  const agrees =
    certified && points.every((p) => p.sameSupport && Math.abs(p.relativeDifference) <= AGREEMENT);
  io.out(
    `lasso path on the bundled Alon colon data (${n} samples × ${g} genes, log2, intercept): ${points.length} α from α_max = ${spred.path.alphaMax.toPrecision(4)} down to ${options.eps}·α_max`,
  );
  io.out('      α/α_max   genes   gap/P(0)   (P − P_ref)/P_ref   support = ref');
  const shown = points.filter(
    (_, i) => i % Math.max(1, Math.round(points.length / 10)) === 0 || i === points.length - 1,
  );
  for (const p of shown)
    io.out(
      `  ${(p.alpha / spred.path.alphaMax).toExponential(2).padStart(12)} ${String(p.nnz).padStart(7)} ${p.gapOverP0.toExponential(1).padStart(10)} ${p.relativeDifference.toExponential(1).padStart(19)}   ${p.sameSupport ? 'yes' : 'NO'}`,
    );
  io.out(
    `spred ${spred.seconds.toFixed(2)} s (every point's duality gap ≤ ${options.tol}·P(0): ${certified ? 'yes' : 'NO'}), exact CD reference (tol 1e-10) ${reference.seconds.toFixed(2)} s`,
  );
  io.out(
    agrees
      ? `spred agrees with the exact reference at every α (objective within ${AGREEMENT}, same genes)`
      : 'spred does NOT agree with the exact reference at every α',
  );
  return {
    data: 'alon',
    n,
    d: g,
    tol: options.tol,
    spredSeconds: spred.seconds,
    referenceSeconds: reference.seconds,
    certified,
    agrees,
    points,
  };
}
