import { fileURLToPath } from 'node:url';

/**
 * Folder of the real data sets shipped with the CLI (see each folder's LICENSE.md). In a module of
 * its own so that flags can default to it without loading the table readers.
 *
 * @example
 * ```ts
 * readExpressionFolder(join(BUNDLED_DATA_DIR, 'alon'));
 * ```
 */
export const BUNDLED_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));
