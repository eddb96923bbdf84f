import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './timing.js';
import { BenchTimeoutError, timeWholeProcess, type ProcessSpec } from './whole-process.js';

/**
 * A solver run as a whole process at a list of accuracy settings (its own tol or thresh),
 * loosest first: the bench times it at the loosest setting whose answer passes the case's check.
 */
export interface LadderSolver<A> {
  readonly solver: string;
  /** What the setting is called on that side ('tol', 'thresh'). */
  readonly settingName: string;
  readonly settings: readonly number[];
  /** Why it cannot run here, or undefined when it can. */
  unavailable(): string | undefined;
  /** The command line at one setting; it writes its answer into `dir`. */
  spec(setting: number, dir: string): ProcessSpec;
  /** Reads the answer back from `dir`. */
  read(dir: string): A;
}

/** Where a solver landed on its ladder, and how long the whole process took there. */
export interface LadderOutcome<A> {
  readonly solver: string;
  readonly settingName: string;
  /** The loosest passing setting, else the tightest tried (the one that ran out of time). */
  readonly setting: number;
  readonly passed: boolean;
  /** It ran past the time limit at `setting`: `seconds` is then that limit, a lower bound. */
  readonly timedOut: boolean;
  /** Median whole-process seconds at `setting`. */
  readonly seconds: number;
  readonly times: readonly number[];
  /** The answer at `setting`; undefined when it timed out there. */
  readonly answer: A | undefined;
  /** Every setting tried: "1e-8 fail 2.10 s, 1e-10 pass 2.40 s". */
  readonly tries: string;
}

/** Options of {@link climbLadders}. */
export interface LadderOptions<A> {
  /** Scratch folder; each try writes into its own sub-folder. */
  readonly workDir: string;
  /** Whole-process runs timed at the chosen setting (median), the first try included. */
  readonly repeats: number;
  /** Seconds one process may run; past it the solver stops climbing (tighter is slower). */
  readonly timeoutSeconds: number;
  /** The case's accuracy check, the same for every solver. */
  passes(answer: A, solver: string): boolean;
  log(line: string): void;
}

interface Landing<A> {
  solver: LadderSolver<A>;
  setting: number;
  passed: boolean;
  timedOut: boolean;
  dir: string;
  times: number[];
  answer: A | undefined;
  tries: string[];
}

function climb<A>(solver: LadderSolver<A>, options: LadderOptions<A>): Landing<A> | undefined {
  const tries: string[] = [];
  let last: Landing<A> | undefined;
  for (const setting of solver.settings) {
    const dir = join(options.workDir, `${solver.solver}-${setting}`);
    mkdirSync(dir, { recursive: true });
    let seconds: number;
    try {
      seconds = timeWholeProcess(solver.spec(setting, dir), options.timeoutSeconds);
    } catch (e) {
      if (!(e instanceof BenchTimeoutError)) throw e;
      tries.push(`${setting.toExponential()} timeout > ${options.timeoutSeconds} s`);
      options.log(`${solver.solver} ${solver.settingName} ${tries.at(-1)}`);
      const times = [options.timeoutSeconds];
      return {
        solver,
        setting,
        passed: false,
        timedOut: true,
        dir,
        times,
        answer: undefined,
        tries,
      };
    }
    const answer = solver.read(dir);
    const passed = options.passes(answer, solver.solver);
    tries.push(`${setting.toExponential()} ${passed ? 'pass' : 'fail'} ${seconds.toFixed(2)} s`);
    options.log(`${solver.solver} ${solver.settingName} ${tries.at(-1)}`);
    last = { solver, setting, passed, timedOut: false, dir, times: [seconds], answer, tries };
    if (passed) break;
  }
  return last;
}

/**
 * Runs every available solver up its accuracy ladder until its answer passes the check, then
 * times the chosen settings again, interleaving the solvers so that each sees the same machine
 * load, and reports the median whole-process time. A solver that is not installed is skipped
 * (with a log line); one whose process fails is reported in the log and left out.
 *
 * @example
 * ```ts
 * const outcomes = climbLadders([spred, sklearn, glmnet], {
 *   workDir, repeats: 3, timeoutSeconds: 600, passes: (coef) => relGap(coef) <= 1e-6, log,
 * });
 * ```
 */
export function climbLadders<A>(
  solvers: readonly LadderSolver<A>[],
  options: LadderOptions<A>,
): LadderOutcome<A>[] {
  const landings: Landing<A>[] = [];
  for (const solver of solvers) {
    const why = solver.unavailable();
    if (why !== undefined) {
      options.log(`skipping ${solver.solver}: ${why}`);
      continue;
    }
    try {
      const landing = climb(solver, options);
      if (landing !== undefined) landings.push(landing);
    } catch (e) {
      options.log(`${solver.solver} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (let r = 1; r < options.repeats; r++)
    for (const l of landings.filter((l) => !l.timedOut)) {
      try {
        l.times.push(timeWholeProcess(l.solver.spec(l.setting, l.dir), options.timeoutSeconds));
      } catch (e) {
        options.log(
          `${l.solver.solver} repeat failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
  return landings.map((l) => ({
    solver: l.solver.solver,
    settingName: l.solver.settingName,
    setting: l.setting,
    passed: l.passed,
    timedOut: l.timedOut,
    seconds: median(l.times),
    times: l.times,
    answer: l.answer,
    tries: l.tries.join(', '),
  }));
}
