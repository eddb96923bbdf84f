import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  accuracyTable,
  labeledData,
  majorityRate,
  METHODS,
  readExpressionDataset,
  readGdsSoft,
  runSweep,
  type LabeledData,
  type SweepOptions,
} from '@spred/genomics';
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

/**
 * Suite `genes`: the gene-selection protocol (stratified 60/20/20 splits, grids chosen on dev) on
 * ALL (BCR/ABL vs NEG; B vs T lineage) and GDS507 (RCC vs normal) from `../shared/data`, or on the
 * bundled Alon set: every method's test accuracy and wall time per fitted model. CPU-sized: MLP
 * widths 256 and a 3-point κ grid instead of the paper's 1024/4096 and 7 points.
 */
export const genesSuite: BenchSuite = {
  name: 'genes',
  description:
    'gene selection: spred (linear + MLP sharing one mask) vs L1 logistic regression, MLP, linear, L1-MLP and HSIC Lasso',
  async run(context): Promise<SuiteOutcome> {
    const options: SweepOptions = context.quick
      ? {
          methods: METHODS,
          repeats: 1,
          kappas: [0.3],
          hidden: [32],
          baselineHidden: 32,
          l1Lambdas: [1e-3],
          hsicFeatures: [10],
          epochs: 60,
          patience: 30,
          topVariance: 500,
        }
      : {
          methods: METHODS,
          repeats: 5,
          kappas: [0.3, 0.1, 0.03],
          hidden: [256, 256],
          baselineHidden: 256,
          l1Lambdas: [1e-3, 1e-4],
          hsicFeatures: [10, 20, 50],
          epochs: 300,
          patience: 50,
        };
    const cases: CaseResult[] = [];
    const targets: { name: string; met: boolean; detail: string }[] = [];
    for (const task of tasks(context.quick)) {
      const data = task.load();
      context.log(
        `genes: ${task.name}: ${data.samples.length} samples × ${data.features.length} genes, ${options.repeats} repeats`,
      );
      const sweep = await runSweep(data, {
        ...options,
        onProgress: (p) =>
          context.log(
            `genes: ${task.name}: ${p.done}/${p.total} ${p.run.method} #${p.run.repeat + 1} ${(100 * p.run.testAccuracy).toFixed(0)}%`,
          ),
      });
      const table = accuracyTable(sweep.runs);
      const majority = majorityRate(data.labels, sweep.splits);
      const spred = table.find((r) => r.method === 'spred');
      const genesKept = (method: string) => {
        const runs = sweep.runs.filter((r) => r.method === method && r.genes !== undefined);
        return runs.length === 0
          ? null
          : runs.reduce((s, r) => s + (r.genes?.length ?? 0), 0) / runs.length;
      };
      for (const row of table)
        cases.push({
          task: task.name,
          method: row.method,
          accuracy: row.mean,
          sd: row.sd,
          majority,
          secondsPerFit: row.secondsPerFit,
          genesKept: genesKept(row.method),
          vsSpredTime: spred === undefined ? null : row.secondsPerFit / spred.secondsPerFit,
        });
      if (spred !== undefined) {
        const baselines = table.filter((r) => r.method !== 'spred');
        const best = baselines.reduce((a, b) => (b.mean > a.mean ? b : a), baselines[0] ?? spred);
        targets.push({
          name: `${task.name}: spred within one sd of the best baseline`,
          met: spred.mean >= best.mean - spred.sd,
          detail: `spred ${(100 * spred.mean).toFixed(1)}% ± ${(100 * spred.sd).toFixed(1)} vs ${best.method} ${(100 * best.mean).toFixed(1)}%`,
        });
        const hsic = table.find((r) => r.method === 'hsic-lasso');
        if (hsic !== undefined)
          targets.push({
            name: `${task.name}: spred ≥ 10× faster per fit than HSIC Lasso`,
            met: hsic.secondsPerFit >= 10 * spred.secondsPerFit,
            detail: `HSIC Lasso ${hsic.secondsPerFit.toFixed(2)} s vs spred ${spred.secondsPerFit.toFixed(2)} s per fit`,
          });
      }
    }
    return {
      cases,
      columns: [
        'task',
        'method',
        'accuracy',
        'sd',
        'majority',
        'secondsPerFit',
        'genesKept',
        'vsSpredTime',
      ],
      targets,
    };
  },
};
