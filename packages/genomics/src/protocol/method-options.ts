import type { Selection } from './choose-candidate.js';

/** The methods a sweep compares: spred's selector and the paper's baselines. */
export type MethodName = 'spred' | 'l1-logistic' | 'mlp' | 'linear' | 'l1-mlp' | 'hsic-lasso';

/** Every method, in report order. */
export const METHODS: readonly MethodName[] = [
  'spred',
  'l1-logistic',
  'mlp',
  'linear',
  'l1-mlp',
  'hsic-lasso',
];

/** Hyper-parameters and grids of the protocol; every field has the paper's (or a CPU-sized) default. */
export interface ProtocolOptions {
  /**
   * κ grid of the spred selector, chosen on dev, as multiples of each training split's κ_max (the
   * smallest κ at which no gene is used; see `kappaMax`), as glmnet's λ/λ_max. Fitted as a path,
   * largest first. Default 7 points from 0.9 to 0.05, geometric.
   */
  readonly kappaRatios?: readonly number[];
  /**
   * An absolute κ grid instead of `kappaRatios` (e.g. the paper's {0.7, 0.5, 0.3, 0.1, 0.05, 0.03,
   * 0.01}; κ above a split's κ_max gives an empty model).
   */
  readonly kappas?: readonly number[];
  /** Adam learning rates of the neural baselines, chosen on dev. Default [1e-3]. */
  readonly learningRates?: readonly number[];
  /**
   * Adam learning rates of the spred selector, chosen on dev. Default [1e-2]: spred trains until
   * its gene set is stable, and with full-batch steps its factors need steps this large to reach
   * zero within `epochs` (at 1e-3 every gene is still in use after 300 steps).
   */
  readonly spredLearningRates?: readonly number[];
  /**
   * Scale of the selector's Kaiming first layer at the start (see `GeneNetworkSpec.initScale`).
   * Default 1e-2: over 10⁴ genes a standard init makes the penalty hundreds of times the data loss,
   * and the first epochs (every gene in play, the costly ones) would only shrink it.
   */
  readonly spredInitScale?: number;
  /**
   * Hidden widths of the selector's MLP head. Default [64, 64]: on expression data (tens of
   * samples) it is as accurate as the paper's [1024, 1024] in the bench and ~10× cheaper per
   * epoch, whose cost is the hidden layers' products once the working set is small.
   */
  readonly hidden?: readonly number[];
  /** Hidden width of the MLP and naive L1-MLP baselines. Default 1024 (the paper: 4096). */
  readonly baselineHidden?: number;
  /** λ grid of the naive L1 penalty λ‖W₁‖₁ of the L1-MLP baseline. Default {1e-2, 1e-3, 1e-4}. */
  readonly l1Lambdas?: readonly number[];
  /**
   * Number of α of the L1-penalized logistic regression baseline ('l1-logistic'), chosen on dev:
   * log-spaced from α_max (no gene) down to 1e-2·α_max, one warm-started path per split. Default 10.
   */
  readonly l1LogisticAlphas?: number;
  /** Numbers of genes HSIC Lasso selects, chosen on dev. Default {10, 20, 50}. */
  readonly hsicFeatures?: readonly number[];
  /** Most full-batch epochs per fit. Default 300. */
  readonly epochs?: number;
  /** Early-stopping patience of the neural baselines on dev accuracy. Default 50. */
  readonly patience?: number;
  /**
   * Epochs spred's gene set must stay unchanged before the optimality check (its stop rule).
   * Default 10: Adam's rate decays from every change of the working set on, so a set that holds
   * for 10 epochs has settled.
   */
  readonly spredPatience?: number;
  /**
   * How each repeat chooses its grid point on dev: `'one-se'` (default; glmnet's `lambda.1se`:
   * the sparsest point within one binomial standard error of the best dev accuracy) or `'best'`
   * (the best dev accuracy, ties broken by dev cross-entropy).
   */
  readonly selection?: Selection;
  /** Weight decay of the non-sparse layers. Default 1e-4. */
  readonly weightDecay?: number;
  /** spred's final threshold relative to the largest gene norm. Default 1e-3. */
  readonly threshold?: number;
  /** Variance filter fitted on each training split: keep this many genes. Default: all. */
  readonly topVariance?: number;
  /** log2 of raw values: 'auto' (default), or forced. */
  readonly log2?: 'auto' | boolean;
  /** Seed of splits and initializations. Default 0. */
  readonly seed?: number;
}

/** The default κ grid relative to κ_max: 7 points from 0.9 to 0.05, geometric. */
export const DEFAULT_KAPPA_RATIOS: readonly number[] = Array.from(
  { length: 7 },
  (_, i) => 0.9 * (0.05 / 0.9) ** (i / 6),
);

/** {@link ProtocolOptions} with every default filled in. */
export type ResolvedProtocol = Required<Omit<ProtocolOptions, 'topVariance' | 'kappas'>> &
  Pick<ProtocolOptions, 'topVariance' | 'kappas'>;

/** Fills in the defaults. */
export function resolveProtocol(options: ProtocolOptions = {}): ResolvedProtocol {
  return {
    kappaRatios: options.kappaRatios ?? DEFAULT_KAPPA_RATIOS,
    learningRates: options.learningRates ?? [1e-3],
    spredLearningRates: options.spredLearningRates ?? [1e-2],
    spredInitScale: options.spredInitScale ?? 1e-2,
    hidden: options.hidden ?? [64, 64],
    baselineHidden: options.baselineHidden ?? 1024,
    l1Lambdas: options.l1Lambdas ?? [1e-2, 1e-3, 1e-4],
    l1LogisticAlphas: options.l1LogisticAlphas ?? 10,
    hsicFeatures: options.hsicFeatures ?? [10, 20, 50],
    epochs: options.epochs ?? 300,
    patience: options.patience ?? 50,
    spredPatience: options.spredPatience ?? 10,
    selection: options.selection ?? 'one-se',
    weightDecay: options.weightDecay ?? 1e-4,
    threshold: options.threshold ?? 1e-3,
    log2: options.log2 ?? 'auto',
    seed: options.seed ?? 0,
    ...(options.topVariance !== undefined ? { topVariance: options.topVariance } : {}),
    ...(options.kappas !== undefined ? { kappas: options.kappas } : {}),
  };
}
