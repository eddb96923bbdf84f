/**
 * @packageDocumentation
 * `@spredjs/optim/polish`: the full-batch finish and its orthant-wise L-BFGS, without the rest of
 * `@spredjs/optim` (no Node built-ins: browser bundles import this entry).
 */
export { polish, polishTerms } from './polish.js';
export type { PolishOptions, PolishResult } from './polish.js';
export { minimizeOwlqnAsync, owlqnSteps } from './owlqn.js';
export type { OwlqnOptions, OwlqnResult, OwlqnStopReason } from './owlqn.js';
