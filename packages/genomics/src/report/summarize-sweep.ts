import type { LabeledData } from '../data/labeled-data.js';
import type { MethodName } from '../protocol/method-options.js';
import type { MethodRun } from '../protocol/run-method.js';
import type { Split } from '../protocol/stratified-splits.js';

/** Test accuracy of one method over the repeats. */
export interface AccuracyRow {
  readonly method: MethodName;
  readonly mean: number;
  /** Sample standard deviation over repeats (0 for one repeat). */
  readonly sd: number;
  /** Test accuracy of every repeat, in repeat order. */
  readonly repeats: readonly number[];
  readonly secondsPerFit: number;
}

/** One gene of a method's selection, aggregated over repeats. */
export interface GeneRow {
  readonly rank: number;
  readonly gene: string;
  /** Feature id (probe) when it differs from the gene symbol. */
  readonly feature: string;
  /** Mean over repeats of the gene's weight (largest = 1 in each repeat; 0 where not selected). */
  readonly weight: number;
  /** Share of repeats whose chosen model kept the gene. */
  readonly frequency: number;
}

/** Accuracy per method, in the order the methods first appear. */
export function accuracyTable(runs: readonly MethodRun[]): AccuracyRow[] {
  const methods = [...new Set(runs.map((r) => r.method))];
  return methods.map((method) => {
    const mine = runs.filter((r) => r.method === method).sort((a, b) => a.repeat - b.repeat);
    const values = mine.map((r) => r.testAccuracy);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd =
      values.length > 1
        ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1))
        : 0;
    const secondsPerFit = mine.reduce((a, r) => a + r.secondsPerFit, 0) / mine.length;
    return { method, mean, sd, repeats: values, secondsPerFit };
  });
}

/**
 * The genes one method selected, aggregated over its repeats: ranked by mean weight, with the share
 * of repeats that kept each gene. Genes no repeat kept are left out.
 */
export function geneTable(
  runs: readonly MethodRun[],
  data: Pick<LabeledData, 'features' | 'genes'>,
  method: MethodName,
): GeneRow[] {
  const mine = runs.filter((r) => r.method === method && r.genes !== undefined);
  if (mine.length === 0) return [];
  const weight = new Map<number, number>();
  const count = new Map<number, number>();
  for (const run of mine)
    run.genes?.forEach((g, i) => {
      weight.set(g, (weight.get(g) ?? 0) + (run.weights?.[i] ?? 0));
      count.set(g, (count.get(g) ?? 0) + 1);
    });
  return [...weight.keys()]
    .sort((a, b) => (weight.get(b) as number) - (weight.get(a) as number) || a - b)
    .map((g, i) => ({
      rank: i + 1,
      gene: data.genes[g] as string,
      feature: data.features[g] as string,
      weight: (weight.get(g) as number) / mine.length,
      frequency: (count.get(g) as number) / mine.length,
    }));
}

/** Mean over splits of the test share of the class most frequent in the training samples. */
export function majorityRate(labels: Int32Array, splits: readonly Split[]): number {
  if (splits.length === 0) return 0;
  const rates = splits.map((split) => {
    const counts = new Map<number, number>();
    split.train.forEach((s) =>
      counts.set(labels[s] as number, (counts.get(labels[s] as number) ?? 0) + 1),
    );
    const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
    return split.test.filter((s) => labels[s] === majority).length / split.test.length;
  });
  return rates.reduce((a, b) => a + b, 0) / rates.length;
}
