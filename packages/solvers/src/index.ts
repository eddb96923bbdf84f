/**
 * @packageDocumentation
 * scikit-learn-shaped sparse estimators built from a datafit and a penalty, solved by spred
 * (L-BFGS on the smooth reparametrized objective, with working sets) or by exact reference solvers
 * (coordinate descent, FISTA) that report the duality gap they stopped on.
 */
export { Lasso, ElasticNet, MultiTaskLasso, GroupLasso } from './estimators/regressors.js';
export type {
  LassoOptions,
  ElasticNetOptions,
  MultiTaskLassoOptions,
  GroupLassoOptions,
} from './estimators/regressors.js';
export { SparseRegressor } from './estimators/sparse-regressor.js';
export type { TargetInput } from './estimators/sparse-regressor.js';
export { SparseLogisticRegression } from './estimators/sparse-logistic-regression.js';
export type { SparseLogisticOptions, Labels } from './estimators/sparse-logistic-regression.js';
export { lassoPath, alphaMax } from './estimators/path.js';
export type { PathOptions, RegularizationPath } from './estimators/path.js';
export { fitLinear, fitLinearAsync, preprocess } from './estimators/fit-linear.js';
export type {
  LinearOptions,
  LinearFit,
  SolverName,
  Preprocessing,
} from './estimators/fit-linear.js';
export { toDesignMatrix, toTargets, columnsTensor, MAX_ENTRIES } from './data/design-matrix.js';
export type { DesignMatrix, MatrixInput, RowMajor } from './data/design-matrix.js';
export { squaredLoss } from './datafits/squared.js';
export { logisticLoss } from './datafits/logistic.js';
export { multinomialLoss } from './datafits/multinomial.js';
export type { Datafit } from './datafits/datafit.js';
export { l1Penalty, softThreshold } from './penalties/l1.js';
export { elasticNetPenalty } from './penalties/elastic-net.js';
export { groupL1Penalty } from './penalties/group-l1.js';
export { l2nPenalty } from './penalties/l2n.js';
export type { Penalty, SpredPenalty } from './penalties/penalty.js';
export { coordinateDescent, blockCoordinateDescent } from './solvers/coordinate-descent.js';
export { fista } from './solvers/fista.js';
export { solveSpred, solveSpredAsync } from './solvers/spred-solver.js';
export type { SpredSolveOptions } from './solvers/spred-solver.js';
export { dualityGap, objective } from './solvers/problem.js';
export type {
  SparseProblem,
  Coefficients,
  SolveResult,
  SolveOptions,
  SolverRecord,
} from './solvers/problem.js';
export { DictionaryLearning } from './sparse-coding/dictionary-learning.js';
export type {
  DictionaryLearningOptions,
  DictionaryEpoch,
} from './sparse-coding/dictionary-learning.js';
