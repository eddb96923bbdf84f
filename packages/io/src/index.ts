/**
 * @packageDocumentation
 * spred's one way to read files (Node only): bytes or UTF-8 text, gunzipped whenever the content
 * starts with the gzip magic bytes 0x1f 0x8b, whatever the file is called, with errors that name the
 * file, the one parser of delimited tables, the one folder of a resumable job's results
 * (written atomically), and tfjs-layers models saved to and loaded from a folder without tfjs-node
 * (tfjs is loaded only when a model is). Sits at the bottom of the package graph beside
 * `@spredjs/core` and imports nothing of spred's.
 */
export { readBytes } from './read-bytes.js';
export { readText } from './read-text.js';
export { readDelimited } from './read-delimited.js';
export type { DelimitedRecords } from './read-delimited.js';
export { isGzip } from './gzip.js';
export { SpredFileError } from './file-error.js';
export { openResultsFolder, writeJsonAtomic } from './results-folder.js';
export type { ResultsFolderCheck } from './results-folder.js';
export { modelFiles, saveModel, loadModel } from './model-files.js';
export type { SaveableModel } from './model-files.js';
export { readNpy, decodeNpy, encodeNpy, npyHeader } from './npy.js';
export type { NpyArray, NpyData, NpyDtype } from './npy.js';
