import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LadderOutcome } from '../harness/accuracy-ladder.js';
import type { CaseResult, SuiteOutcome } from '../harness/suite.js';
import type { ReferenceAnswer } from '../reference/reference-answer.js';

/** One target line of the suite. */
export type Target = NonNullable<SuiteOutcome['targets']>[number];

/** How one answer scores against the case's float64 reference (null where it does not apply). */
export interface AnswerScore {
  /** (P(w) − P(w*)) / P(w*). */
  readonly relGap: number | null;
  /** The answer's own duality gap over P(0) (the largest along a path). */
  readonly gapOverP0: number;
  readonly supportF1: number | null;
  readonly nnz: number;
  /** Path only: points whose gap passes. */
  readonly pointsPassed?: number;
}

/** What identifies a case in its rows. */
export interface CaseLabel {
  readonly part: 'planted' | 'path' | 'logistic';
  readonly problem: string;
  readonly n: number;
  readonly d: number;
  readonly alpha: string;
}

/**
 * Runs `body` with a fresh scratch folder for a case's files (X.npy, y.npy and every solver's
 * output), removed afterwards: X of the largest case is 800 MB.
 *
 * @example
 * ```ts
 * const rows = withScratch('planted', (dir) => runCase(dir));
 * ```
 */
export function withScratch<T>(name: string, body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), `spred-bench-${name}-`));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The rows of one case: every solver where its accuracy ladder landed, its median whole-process
 * time, and how its answer scores; `spredTimeRatio` is spred's time over this solver's.
 *
 * @example
 * ```ts
 * cases.push(...caseRows(label, outcomes, score));
 * ```
 */
export function caseRows<A>(
  label: CaseLabel,
  outcomes: readonly LadderOutcome<A>[],
  score: (answer: A) => AnswerScore,
): CaseResult[] {
  const spred = outcomes.find((o) => o.solver === 'spred');
  return outcomes.map((o) => {
    const s = o.answer === undefined ? undefined : score(o.answer);
    return {
      ...label,
      solver: o.solver,
      setting: `${o.settingName} ${o.setting.toExponential()}`,
      seconds: o.seconds,
      timedOut: o.timedOut,
      spredTimeRatio: spred === undefined ? null : spred.seconds / o.seconds,
      relGap: s?.relGap ?? null,
      gapOverP0: s?.gapOverP0 ?? null,
      supportF1: s?.supportF1 ?? null,
      nnz: s?.nnz ?? null,
      pointsPassed: s?.pointsPassed ?? null,
      passed: o.passed,
      times: o.times.map((t) => t.toFixed(3)).join(' '),
      tries: o.tries,
    };
  });
}

/**
 * A target "spred's whole-process time ≤ ratio × peer's, with spred's answer passing": missed (not
 * met) when either side was not measured, saying which.
 *
 * @example
 * ```ts
 * targets.push(timeTarget('200×1000 at 0.1·α_max', outcomes, 'sklearn', 0.5, accurate));
 * ```
 */
export function timeTarget<A>(
  what: string,
  outcomes: readonly LadderOutcome<A>[],
  peer: string,
  ratio: number,
  spredAccurate: (answer: A) => { ok: boolean; detail: string },
): Target {
  const name = `${what}: spred/${peer} whole-process time ≤ ${ratio}, spred accurate`;
  const spred = outcomes.find((o) => o.solver === 'spred');
  const other = outcomes.find((o) => o.solver === peer);
  if (spred === undefined) return { name, met: false, detail: 'spred was not measured' };
  if (spred.answer === undefined)
    return {
      name,
      met: false,
      detail: `spred did not finish within ${spred.seconds} s at ${spred.settingName} ${spred.setting.toExponential()}`,
    };
  const accuracy = spredAccurate(spred.answer);
  if (other === undefined)
    return {
      name,
      met: false,
      detail: `${peer} was not measured (not installed?); ${accuracy.detail}`,
    };
  const r = spred.seconds / other.seconds;
  // A peer that ran out of time, or never reached the accuracy on its ladder, would need at least
  // the time shown to pass: a lower bound, so spred beating it still counts.
  const peerNote = other.timedOut
    ? ', timed out: a lower bound'
    : other.passed
      ? ''
      : ', never passed: a lower bound';
  return {
    name,
    met: r <= ratio && accuracy.ok && spred.passed,
    detail: `spred ${spred.seconds.toFixed(2)} s vs ${peer} ${other.timedOut ? '> ' : ''}${other.seconds.toFixed(2)} s (${other.settingName} ${other.setting.toExponential()}${peerNote}) = ${r.toFixed(2)}; ${accuracy.detail}`,
  };
}

/**
 * The row of a case's reference answer: how it was computed, its in-process seconds (not a
 * whole-process time) and its certificate.
 *
 * @example
 * ```ts
 * cases.push(referenceRow(label, lassoReference(x, y, alpha)));
 * ```
 */
export function referenceRow(label: CaseLabel, reference: ReferenceAnswer): CaseResult {
  return {
    ...label,
    solver: 'reference',
    setting: reference.method,
    seconds: reference.seconds,
    spredTimeRatio: null,
    relGap: 0,
    gapOverP0: reference.certificate.gap / reference.objectiveAtZero,
    supportF1: 1,
    nnz: reference.coef.reduce((s, w) => s + (w !== 0 ? 1 : 0), 0),
    pointsPassed: null,
    passed: reference.certified,
    timedOut: false,
    times: 'in process',
    tries: '',
  };
}
