import { SpredInputError } from '@spredjs/core';
import type { ExpressionSet } from '../io/expression-set.js';

/** Samples with class labels, ready for a classifier: row-major samples × features, NaN where missing. */
export interface LabeledData {
  readonly samples: readonly string[];
  readonly features: readonly string[];
  /** Gene symbols per feature when known (else the feature ids). */
  readonly genes: readonly string[];
  readonly values: Float64Array;
  /** Class index (into `classes`) of every sample. */
  readonly labels: Int32Array;
  readonly classes: readonly string[];
}

/** Options of {@link labeledData}. */
export interface LabelOptions {
  /**
   * The classes to keep, in order. Each entry is a label value (`BCR/ABL`) or a named union of
   * values (`B=B|B1|B2|B3|B4`). Samples whose label is in no class are left out. Default: every
   * distinct label, sorted; a sample without a label is then an error.
   */
  readonly classes?: readonly string[];
}

/**
 * Picks the samples and class labels of one annotation column of an expression set. Errors name the
 * problem: an unknown column (with the known ones), samples without a label, fewer than two classes,
 * a requested class no sample has.
 */
export function labeledData(
  set: ExpressionSet,
  column: string,
  options: LabelOptions = {},
): LabeledData {
  const annotation = set.annotations[column];
  if (annotation === undefined)
    throw new SpredInputError(
      `no label column '${column}' (columns: ${Object.keys(set.annotations).join(', ') || 'none'})`,
    );
  const classMap = new Map<string, number>();
  let classes: string[];
  if (options.classes !== undefined && options.classes.length > 0) {
    classes = options.classes.map((entry, c) => {
      const [name, values] = entry.includes('=') ? entry.split('=', 2) : [entry, entry];
      for (const v of (values as string).split('|').map((s) => s.trim())) {
        if (classMap.has(v))
          throw new SpredInputError(`label '${v}' is in two classes of --classes`);
        classMap.set(v, c);
      }
      return (name as string).trim();
    });
  } else {
    const unlabeled = set.samples.filter((_, i) => annotation[i] === undefined);
    if (unlabeled.length > 0)
      throw new SpredInputError(
        `column '${column}' has no label for ${unlabeled.length} sample(s): ${unlabeled.slice(0, 5).join(', ')}${unlabeled.length > 5 ? ', …' : ''} (name the classes to keep them out)`,
      );
    classes = [...new Set(annotation as string[])].sort();
    classes.forEach((c, i) => classMap.set(c, i));
  }
  const kept: number[] = [];
  const labels: number[] = [];
  annotation.forEach((value, i) => {
    const c = value === undefined ? undefined : classMap.get(value);
    if (c !== undefined) {
      kept.push(i);
      labels.push(c);
    }
  });
  const counts = classes.map((_, c) => labels.filter((l) => l === c).length);
  const empty = classes.filter((_, c) => counts[c] === 0);
  if (empty.length > 0)
    throw new SpredInputError(
      `column '${column}' has no sample of class ${empty.map((e) => `'${e}'`).join(', ')} (labels: ${[...new Set(annotation.filter((a) => a !== undefined))].join(', ')})`,
    );
  if (classes.length < 2)
    throw new SpredInputError(
      `column '${column}' has only one class ('${classes[0]}'): nothing to classify`,
    );
  const p = set.features.length;
  const values = new Float64Array(kept.length * p);
  kept.forEach((s, i) => values.set(set.values.subarray(s * p, (s + 1) * p), i * p));
  return {
    samples: kept.map((s) => set.samples[s] as string),
    features: set.features,
    genes: set.features.map((f, j) => set.symbols?.[j] ?? f),
    values,
    labels: Int32Array.from(labels),
    classes,
  };
}
