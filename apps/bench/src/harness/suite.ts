/** What every suite gets: the sizes to use and where to say how it is going. */
export interface SuiteContext {
  /** Smaller problems and fewer repeats, for a smoke run. */
  readonly quick: boolean;
  /** Progress lines (stderr). */
  log(line: string): void;
  /** The parts of the suite to run (every part when undefined), e.g. `planted` of `lasso`. */
  readonly parts?: readonly string[];
  /**
   * The folder `<suite>.json` and the figures go to (`--out`): a suite keeps what a rerun can
   * resume from under `<outDir>/<suite>/`. Undefined (tests): nothing is kept.
   */
  readonly outDir?: string;
}

/** One row of a suite's results: plain JSON values only. */
export type CaseResult = Readonly<Record<string, string | number | boolean | null>>;

/** What a suite returns; the harness adds `suite`, `backend`, `machine` and the date. */
export interface SuiteOutcome {
  readonly cases: readonly CaseResult[];
  /** Columns of the stdout table, in order. */
  readonly columns: readonly string[];
  /** Targets the suite checks, each with whether it was met in this run. */
  readonly targets?: readonly {
    readonly name: string;
    readonly met: boolean;
    readonly detail: string;
  }[];
  /** SVG figures the harness writes beside the JSON, by path relative to it (e.g. `prune/mlp/front.svg`). */
  readonly figures?: readonly { readonly file: string; readonly svg: string }[];
}

/** A benchmark suite: `pnpm bench <name>`. */
export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(context: SuiteContext): Promise<SuiteOutcome>;
}
