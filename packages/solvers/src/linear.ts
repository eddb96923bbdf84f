/**
 * @packageDocumentation
 * The linear estimators, paths, datafits, penalties and float64 solvers of `@spredjs/solvers`,
 * without anything that loads TensorFlow.js: what a command-line fit imports, so that it starts
 * fast. Everything here is also exported from the package's main entry.
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
export type {
  SparseLogisticOptions,
  Labels,
  LogisticPenaltyName,
} from './estimators/sparse-logistic-regression.js';
export { lassoPath, alphaMax } from './estimators/path.js';
export type { PathOptions, RegularizationPath } from './estimators/path.js';
export { logisticPath, logisticAlphaMax, logisticPathProba } from './estimators/logistic-path.js';
export type { LogisticPath, LogisticPathOptions } from './estimators/logistic-path.js';
export { fitLinear, fitLinearAsync, preprocess } from './estimators/fit-linear.js';
export type {
  SpredOptions,
  LinearOptions,
  LinearFit,
  SolverName,
  Preprocessing,
} from './estimators/fit-linear.js';
export { checkAlpha } from './penalties/check-alpha.js';
export {
  toDesignMatrix,
  toTargets,
  readTensorInput,
  firstNonFinite,
  MAX_ENTRIES,
} from './data/design-matrix.js';
export type { DesignMatrix, MatrixInput, RowMajor, TensorLike } from './data/design-matrix.js';
export { squaredLoss } from './datafits/squared.js';
export { logisticLoss } from './datafits/logistic.js';
export { multinomialLoss } from './datafits/multinomial.js';
export type { Datafit } from './datafits/datafit.js';
export { l1Penalty, softThreshold } from './penalties/l1.js';
export type { L1Options } from './penalties/l1.js';
export { elasticNetPenalty } from './penalties/elastic-net.js';
export { groupL1Penalty } from './penalties/group-l1.js';
export { l2nPenalty } from './penalties/l2n.js';
export { penaltyFor } from './penalties/penalty-for.js';
export type { PenaltyName, PenaltySpec } from './penalties/penalty-for.js';
export type { Penalty, Factorization } from './penalties/penalty.js';
export { coordinateDescent, blockCoordinateDescent } from './solvers/coordinate-descent.js';
export { fista } from './solvers/fista.js';
export { spredSolver, coordinateDescentSolver, fistaSolver } from './solvers/solver.js';
export type { Solver, WorkingSetSolverOptions } from './solvers/solver.js';
export { solveFactored } from './solvers/spred/solve-factored.js';
export { factoredObjective } from './solvers/spred/factored-objective.js';
export type { FactoredObjective } from './solvers/spred/factored-objective.js';
export { exactFinish } from './solvers/spred/exact-finish.js';
export { solveOnWorkingSets, restrictProblem } from './solvers/working-set.js';
export type { WorkingSetOptions, InnerSolver } from './solvers/working-set.js';
export { dualityGap, objective } from './solvers/problem.js';
export type {
  SparseProblem,
  Coefficients,
  SolveResult,
  SolveOptions,
  SolverRecord,
} from './solvers/problem.js';
