import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  accuracyTable,
  labeledData,
  majorityRate,
  readExpressionDataset,
  readGdsSoft,
  runSweep,
  type AccuracyRow,
  type LabeledData,
  type MethodName,
  type SweepOptions,
} from '@spredjs/genomics';
import type { BenchSuite, CaseResult, SuiteOutcome } from '../harness/suite.js';
import { ALL_DIR, ALON_DIR as ALON, SHARED_DATA as SHARED } from '../problems/datasets.js';

interface GeneTask {
  readonly name: string;
  readonly load: () => LabeledData;
}

function tasks(quick: boolean): GeneTask[] {
  const alon: GeneTask = {
    name: 'alon: tumor vs normal',
    load: () =>
      labeledData(
        readExpressionDataset({
          expression: join(ALON, 'expression.tsv.gz'),
          samples: join(ALON, 'samples.tsv'),
        }),
        'class',
      ),
  };
  if (quick) return [alon];
  const gds = join(SHARED, 'geo', 'GDS507.soft.gz');
  const list: GeneTask[] = [];
  if (existsSync(ALL_DIR)) {
    const set = () =>
      readExpressionDataset({
        expression: join(ALL_DIR, 'expression.tsv.gz'),
        samples: join(ALL_DIR, 'samples.tsv'),
      });
    list.push(
      {
        name: 'ALL: BCR/ABL vs NEG',
        load: () => labeledData(set(), 'mol.biol', { classes: ['BCR/ABL', 'NEG'] }),
      },
      {
        name: 'ALL: B vs T lineage',
        load: () => labeledData(set(), 'BT', { classes: ['B=B|B1|B2|B3|B4', 'T=T|T1|T2|T3|T4'] }),
      },
    );
  }
  if (existsSync(gds))
    list.push({
      name: 'GDS507: RCC vs normal',
      load: () => labeledData(readGdsSoft(gds), 'disease state'),
    });
  return list.length > 0 ? list : [alon];
}

/** The methods the gene bench compares (the MLP baselines' 1,024-unit defaults are run by the CLI, not here). */
const BENCH_METHODS = ['spred', 'l1-logistic', 'linear', 'hsic-lasso'] as const;

/** The protocol of both gene suites: the CLI's defaults, only the repeats set (and shrunk with --quick). */
function benchOptions(quick: boolean, methods: readonly MethodName[]): SweepOptions {
  return quick
    ? { methods, repeats: 1, hidden: [16], hsicFeatures: [10], epochs: 60, topVariance: 500 }
    : { methods, repeats: 5 };
}

/** One task's sweep as table rows: accuracy, sd, seconds per fit and genes kept, per method. */
async function sweepTask(
  task: GeneTask,
  options: SweepOptions,
  log: (line: string) => void,
): Promise<{ rows: CaseResult[]; table: AccuracyRow[]; majority: number }> {
  const data = task.load();
  log(
    `genes: ${task.name}: ${data.samples.length} samples × ${data.features.length} genes, ${options.repeats} repeats`,
  );
  const sweep = await runSweep(data, {
    ...options,
    onProgress: (p) =>
      log(
        `genes: ${task.name}: ${p.done}/${p.total} ${p.run.method} #${p.run.repeat + 1} ${(100 * p.run.testAccuracy).toFixed(0)}% (${p.run.genes?.length ?? 'all'} genes, ${p.run.secondsPerFit.toFixed(2)} s per fit)`,
      ),
  });
  const table = accuracyTable(sweep.runs);
  const majority = majorityRate(data.labels, sweep.splits);
  const spred = table.find((r) => r.method === 'spred');
  const genesKept = (method: string) => {
    const runs = sweep.runs.filter((r) => r.method === method && r.genes !== undefined);
    return runs.length === 0 ? null : runs.map((r) => r.genes?.length ?? 0).join(',');
  };
  const rows = table.map((row) => ({
    task: task.name,
    method: row.method,
    accuracy: row.mean,
    sd: row.sd,
    majority,
    secondsPerFit: row.secondsPerFit,
    genesKeptPerRepeat: genesKept(row.method),
    vsSpredTime: spred === undefined ? null : row.secondsPerFit / spred.secondsPerFit,
  }));
  return { rows, table, majority };
}

/** spred's mean against the L1-logistic's, less the larger of their sds. */
function versusL1(taskName: string, table: readonly AccuracyRow[]) {
  const spred = table.find((r) => r.method === 'spred');
  const l1 = table.find((r) => r.method === 'l1-logistic');
  if (spred === undefined || l1 === undefined) return undefined;
  return {
    name: `${taskName}: spred ≥ l1-logistic − max sd`,
    met: spred.mean >= l1.mean - Math.max(spred.sd, l1.sd),
    detail: `spred ${(100 * spred.mean).toFixed(1)}% ± ${(100 * spred.sd).toFixed(1)} vs l1-logistic ${(100 * l1.mean).toFixed(1)}% ± ${(100 * l1.sd).toFixed(1)}`,
    ahead: spred.mean >= l1.mean,
  };
}

const COLUMNS = [
  'task',
  'method',
  'accuracy',
  'sd',
  'majority',
  'secondsPerFit',
  'genesKeptPerRepeat',
  'vsSpredTime',
];

/**
 * Suite `genes`: the gene-selection protocol with `spred select-genes`' defaults (stratified
 * 60/20/20 splits, 5 repeats, grids chosen on dev by the one-standard-error rule) on ALL (BCR/ABL
 * vs NEG; B vs T lineage) and GDS507 (RCC vs normal) from `../shared/data`, or on the bundled Alon
 * set: spred, the L1-logistic, a linear classifier and HSIC Lasso; test accuracy, seconds per
 * fitted model (HSIC Lasso's one selection per split shared by its candidates) and genes kept.
 */
export const genesSuite: BenchSuite = {
  name: 'genes',
  description:
    "gene selection with the CLI's defaults: spred (linear + MLP sharing one mask) vs L1-logistic, linear and HSIC Lasso",
  async run(context): Promise<SuiteOutcome> {
    const options = benchOptions(context.quick, BENCH_METHODS);
    const cases: CaseResult[] = [];
    const targets: { name: string; met: boolean; detail: string }[] = [];
    for (const task of tasks(context.quick)) {
      const { rows, table } = await sweepTask(task, options, context.log);
      cases.push(...rows);
      const spred = table.find((r) => r.method === 'spred');
      const l1 = versusL1(task.name, table);
      if (l1 !== undefined) targets.push(l1);
      const hsic = table.find((r) => r.method === 'hsic-lasso');
      if (spred !== undefined && hsic !== undefined)
        targets.push({
          name: `${task.name}: spred ≥ 10× faster per fit than HSIC Lasso, as accurate`,
          met: hsic.secondsPerFit >= 10 * spred.secondsPerFit && spred.mean >= hsic.mean,
          detail: `HSIC Lasso ${hsic.secondsPerFit.toFixed(2)} s (${(100 * hsic.mean).toFixed(1)}%) vs spred ${spred.secondsPerFit.toFixed(2)} s (${(100 * spred.mean).toFixed(1)}%) per fit: ${(hsic.secondsPerFit / spred.secondsPerFit).toFixed(1)}×`,
        });
    }
    return { cases, columns: COLUMNS, targets };
  },
};

/** Every expression folder in `../shared/data/microarray` (label column `class`). */
function cohortTasks(): GeneTask[] {
  const root = join(SHARED, 'microarray');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'expression.tsv.gz')))
    .sort()
    .map((name) => ({
      name,
      load: () =>
        labeledData(
          readExpressionDataset({
            expression: join(root, name, 'expression.tsv.gz'),
            samples: join(root, name, 'samples.tsv'),
          }),
          'class',
        ),
    }));
}

/**
 * Suite `genes-all`: spred against the L1-logistic (and the majority rate) on every cohort in
 * `../shared/data/microarray`, with the CLI's defaults and nothing tuned on them: does the
 * selector's accuracy carry to data it was never tuned on? Targets: spred's mean ≥ the
 * L1-logistic's on most cohorts, and never below it by more than the larger sd.
 */
export const genesAllSuite: BenchSuite = {
  name: 'genes-all',
  description: 'spred vs L1-logistic on every cohort in ../shared/data/microarray (CLI defaults)',
  async run(context): Promise<SuiteOutcome> {
    const options = benchOptions(context.quick, ['spred', 'l1-logistic']);
    const cases: CaseResult[] = [];
    const targets: { name: string; met: boolean; detail: string }[] = [];
    let ahead = 0;
    let compared = 0;
    const list = cohortTasks();
    for (const task of context.quick ? list.slice(0, 1) : list) {
      const { rows, table } = await sweepTask(task, options, context.log);
      cases.push(...rows);
      const l1 = versusL1(task.name, table);
      if (l1 === undefined) continue;
      compared++;
      if (l1.ahead) ahead++;
      targets.push({ name: l1.name, met: l1.met, detail: l1.detail });
    }
    if (compared > 0)
      targets.push({
        name: 'spred ≥ l1-logistic on most cohorts',
        met: ahead > compared / 2,
        detail: `${ahead} of ${compared}`,
      });
    return { cases, columns: COLUMNS, targets };
  },
};
