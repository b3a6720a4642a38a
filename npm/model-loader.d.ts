// Types of `faceproof/model-loader` (www/sdk/model-loader.js): weights fetched by URL, checked against the
// module's pinned sha256 before they are cached (Cache API) or used.

/** One file of the module's `weightsManifest()`. */
export interface WeightsEntry {
  name: string;
  file: string;
  /** Lower-case hex SHA-256. */
  sha256: string;
}

/** Name of the Cache API cache that holds verified weights (`caches.delete(MODEL_CACHE)` clears it). */
export const MODEL_CACHE: 'faceproof-models-v1';

/** Lower-case hex SHA-256 of `bytes` (WebCrypto). */
export function sha256Hex(bytes: ArrayBuffer | ArrayBufferView): Promise<string>;

/** A weights file could not be fetched, or its sha256 differs (the bad bytes are evicted from the cache). */
export class WeightsError extends Error {
  constructor(message: string, details?: { name?: string; url?: string; expected?: string; actual?: string });
  name: 'WeightsError';
  /** The model's name from the manifest. */
  model?: string;
  url?: string;
  expected?: string;
  actual?: string;
}

/**
 * Fetches `entry.file` relative to `modelsUrl` (via the Cache API when available), checks its sha256 and
 * resolves to the bytes. Rejects with `WeightsError`.
 */
export function fetchWeights(entry: WeightsEntry, modelsUrl: string | URL): Promise<Uint8Array>;
