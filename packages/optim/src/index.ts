export { minimizeLbfgs, minimizeLbfgsAsync } from './lbfgs/minimize-lbfgs.js';
export type { LbfgsOptions, LbfgsResult, LbfgsStopReason } from './lbfgs/minimize-lbfgs.js';
export { lbfgs, lbfgsAsync } from './lbfgs/lbfgs.js';
export type { LbfgsTrainResult } from './lbfgs/lbfgs.js';
export {
  strongWolfe,
  strongWolfeSteps,
  backtrack,
  backtrackSteps,
  cubicInterpolate,
} from './lbfgs/line-search.js';
export type { Evaluation, LineSearchResult, StrongWolfeOptions } from './lbfgs/line-search.js';
export { GroupedOptimizer } from './optimizers/grouped-optimizer.js';
export type {
  ParamGroup,
  OptimizerState,
  StepResult,
  NamedStateTensor,
} from './optimizers/grouped-optimizer.js';
export type { OptimizerKind, OptimizerSpec } from './optimizers/optimizer-spec.js';
export type { LearningRateSchedule } from './schedules/learning-rate-schedule.js';
export {
  constantSchedule,
  stepSchedule,
  exponentialSchedule,
  cosineSchedule,
  inverseTimeSchedule,
} from './schedules/fixed-schedules.js';
export { reduceOnPlateau } from './schedules/reduce-on-plateau.js';
export type { ReduceOnPlateauOptions } from './schedules/reduce-on-plateau.js';
export { train } from './train/train.js';
export type {
  TrainOptions,
  TrainResult,
  TrainStopReason,
  ValidationOptions,
  StepContext,
  StepEnd,
  ParameterSet,
} from './train/train.js';
export { convergenceMonitor, unchangedFor } from './train/monitors.js';
export type {
  EpochRecord,
  EpochContext,
  StopMonitor,
  StopVerdict,
  ConvergenceOptions,
  ConvergenceMonitor,
} from './train/monitors.js';
export { saveCheckpoint, loadCheckpoint } from './train/checkpoint.js';
export type { CheckpointMeta, TensorGroups } from './train/checkpoint.js';
export { epochPermutation, mulberry32 } from './train/seeded-permutation.js';
export { AdamOptimizer, adamUpdate, ADAM_UPDATE_KERNEL } from './optimizers/adam.js';
export type { AdamDecay, AdamStepAttrs, AdamStepResult } from './optimizers/adam.js';
export { polish, polishTerms, minimizeOwlqnAsync, owlqnSteps } from './polish/index.js';
export type {
  PolishOptions,
  PolishResult,
  OwlqnOptions,
  OwlqnResult,
  OwlqnStopReason,
} from './polish/index.js';
