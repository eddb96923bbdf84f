/**
 * @packageDocumentation
 * Nonlinear gene selection with spred. Readers for GEO DataSet SOFT files and expression tables
 * with sample sheets; preprocessing fitted on training samples; the paper's selector — a linear
 * classifier and an MLP reading the genes through one shared spred mask, whose smooth penalty is a
 * group lasso on genes; the baselines (L1-penalized logistic regression, MLP, linear, naive L1-MLP,
 * HSIC Lasso); and the protocol of repeated stratified train/dev/test splits with dev-selected
 * hyper-parameters, run in parallel worker threads (the app's worker script chooses the backend)
 * with resumable results.
 */
export { readGdsSoft } from './io/read-gds-soft.js';
export type { ExpressionSet } from './io/expression-set.js';
export { readExpressionTable } from './io/read-expression-table.js';
export type { ExpressionTable, TableOrientation } from './io/read-expression-table.js';
export { readSampleSheet } from './io/read-sample-sheet.js';
export type { SampleSheet } from './io/read-sample-sheet.js';
export { readExpressionDataset } from './io/read-expression-dataset.js';
export type { ExpressionDatasetOptions } from './io/read-expression-dataset.js';
export { labeledData } from './data/labeled-data.js';
export type { LabeledData, LabelOptions } from './data/labeled-data.js';
export { fitPreprocessing, applyPreprocessing } from './preprocess/preprocessing.js';
export type { Preprocessing, PreprocessingOptions } from './preprocess/preprocessing.js';
export { stratifiedSplits } from './protocol/stratified-splits.js';
export type { Split, SplitOptions } from './protocol/stratified-splits.js';
export { GeneNetwork } from './selector/gene-network.js';
export type { GeneNetworkSpec } from './selector/gene-network.js';
export type { GeneInputLayer, InputLayer } from './selector/gene-input-layer.js';
export { fitGeneNetwork, evaluate, evaluateAsync } from './selector/fit-gene-network.js';
export type { GeneFit, GeneFitOptions, Samples } from './selector/fit-gene-network.js';
export { hsicLasso } from './baselines/hsic-lasso.js';
export type { HsicLassoOptions, HsicLassoResult } from './baselines/hsic-lasso.js';
export { l1LogisticPath } from './baselines/l1-logistic.js';
export type {
  L1LogisticCandidate,
  L1LogisticOptions,
  L1LogisticSamples,
} from './baselines/l1-logistic.js';
export { METHODS, resolveProtocol } from './protocol/method-options.js';
export type { MethodName, ProtocolOptions, ResolvedProtocol } from './protocol/method-options.js';
export { runMethod } from './protocol/run-method.js';
export { chooseCandidate } from './protocol/choose-candidate.js';
export type { Selection, Scored } from './protocol/choose-candidate.js';
export { DEFAULT_KAPPA_RATIOS } from './protocol/method-options.js';
export {
  kappaMax,
  kappaMaxAsync,
  linearHeadGradientNorms,
  linearHeadGradientNormsAsync,
} from './selector/kappa-max.js';
export { worstViolators, GROW_AT_LEAST } from './selector/grow-working-set.js';
export type { MethodRun } from './protocol/run-method.js';
export { runSweep } from './sweep/run-sweep.js';
export type { SweepOptions, SweepProgress, SweepResult } from './sweep/run-sweep.js';
export { runSweepJob } from './sweep/run-sweep-job.js';
export { serveSweepJobs } from './sweep/serve-sweep-jobs.js';
export { runFileName } from './sweep/sweep-job.js';
export type { SweepJob, SweepWorkerData, SweepWorkerMessage } from './sweep/sweep-job.js';
export { accuracyTable, geneTable, majorityRate } from './report/summarize-sweep.js';
export type { AccuracyRow, GeneRow } from './report/summarize-sweep.js';
export { readSeriesMatrix } from './io/read-series-matrix.js';
