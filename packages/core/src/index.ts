/**
 * @packageDocumentation
 * spred's core: an L1 penalty 2κ‖V‖₁ is exactly the smooth penalty κ(‖U‖² + ‖W‖²) on the
 * redundant factors of V = U ⊙ W; a group-L1 penalty is κ(Σ u_g² + ‖W‖²) on V_g = u_g W_g. Every
 * local minimum of one problem is a local minimum of the other, so any gradient method solves L1
 * problems in any differentiable model. Backend-agnostic: imports `@tensorflow/tfjs-core` only
 * (a program using gradients must also load `@tensorflow/tfjs` or a backend package).
 */
export { hadamard } from './reparam/hadamard.js';
export { grouped } from './reparam/grouped.js';
export { hadamardProduct } from './reparam/hadamard-product.js';
export type { GroupedOptions } from './reparam/grouped.js';
export type { ReparamOptions, InitScheme } from './reparam/options.js';
export type { KappaLike } from './reparam/penalty-weights.js';
export type { Reparametrization } from './reparam/reparametrization.js';
export { sparsity, sparsityAt, thresholdAgreement } from './readouts/sparsity.js';
export type { SparsityTarget, ThresholdAgreement } from './readouts/sparsity.js';
export { balanceError } from './readouts/balance.js';
export {
  l1Stationarity,
  l1StationarityOfTerms,
  collapseCertified,
  inValueSpace,
  evaluateFinite,
  startingPoint,
  checkTol,
  DEFAULT_STATIONARITY_TOL,
} from './stationarity/l1-stationarity.js';
export type { StationarityOptions } from './stationarity/l1-stationarity.js';
export { certificateAt } from './stationarity/certificate.js';
export type { StationarityCertificate, TermStationarity } from './stationarity/certificate.js';
export { l1Term, kappaPerGroup } from './stationarity/l1-term.js';
export type { L1Term, L1TermOptions } from './stationarity/l1-term.js';
export { l1Layout } from './stationarity/l1-layout.js';
export type { L1Layout } from './stationarity/l1-layout.js';
export { groupNorms, l1Value, pseudoGradient, groupViolations } from './stationarity/l1-groups.js';
export type { L1Groups } from './stationarity/l1-groups.js';
export {
  evaluateDataLoss,
  readVariables,
  writeVariables,
  variableOffsets,
} from './stationarity/data-loss.js';
export type { DataLoss, LossEvaluation } from './stationarity/data-loss.js';
export { SpredInputError } from './errors.js';
export { fanIn } from './shape.js';
export { tfSeed } from './random/tf-seed.js';
export { mulberry32 } from './random/mulberry32.js';
export type { UniformSource } from './random/mulberry32.js';
export { boxMuller } from './random/box-muller.js';
export { fisherYates } from './random/fisher-yates.js';
export type { Permutable } from './random/fisher-yates.js';
