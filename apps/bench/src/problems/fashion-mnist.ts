import { fileURLToPath } from 'node:url';

/** Fashion-MNIST's IDX files: `SPRED_FASHION_MNIST`, else `../shared/data` beside the checkout. */
export const FASHION_MNIST =
  process.env['SPRED_FASHION_MNIST'] ??
  fileURLToPath(new URL('../../../../../shared/data/fashion-mnist/', import.meta.url));
