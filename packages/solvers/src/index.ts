/**
 * @packageDocumentation
 * scikit-learn-shaped sparse estimators built from a datafit and a penalty, solved by spred
 * (L-BFGS on the smooth reparametrized objective, with working sets) or by exact reference solvers
 * (coordinate descent, FISTA) that report the duality gap they stopped on.
 */
export * from './linear.js';
export { DictionaryLearning } from './sparse-coding/dictionary-learning.js';
export type {
  DictionaryLearningOptions,
  DictionaryEpoch,
  PatchMatrix,
  TransformOptions,
} from './sparse-coding/dictionary-learning.js';
export {
  solveSpredTensor,
  solveSpredTensorAsync,
  spredTensorSolver,
} from './tensor/spred-tensor.js';
export type { SpredTensorOptions } from './tensor/spred-tensor.js';
export { columnsTensor } from './tensor/columns-tensor.js';
