export { minimizeLbfgs } from './lbfgs/minimize-lbfgs.js';
export type { LbfgsOptions, LbfgsResult, LbfgsStopReason } from './lbfgs/minimize-lbfgs.js';
export { lbfgs } from './lbfgs/lbfgs.js';
export type { LbfgsTrainResult } from './lbfgs/lbfgs.js';
export { strongWolfe, backtrack, cubicInterpolate } from './lbfgs/line-search.js';
export type { Evaluation, LineSearchResult } from './lbfgs/line-search.js';
