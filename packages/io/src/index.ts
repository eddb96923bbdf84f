/**
 * @packageDocumentation
 * spred's one way to read files (Node only): bytes or UTF-8 text, gunzipped whenever the content
 * starts with the gzip magic bytes 0x1f 0x8b, whatever the file is called, with errors that name the
 * file, the one parser of delimited tables, and the one folder of a resumable job's results
 * (written atomically). Sits at the bottom of the package graph beside
 * `@spred/core` and imports nothing of spred's.
 */
export { readBytes } from './read-bytes.js';
export { readText } from './read-text.js';
export { readDelimited } from './read-delimited.js';
export type { DelimitedRecords } from './read-delimited.js';
export { isGzip } from './gzip.js';
export { SpredFileError } from './file-error.js';
export { openResultsFolder, writeJsonAtomic } from './results-folder.js';
export type { ResultsFolderCheck } from './results-folder.js';
