// Weights by URL, checked against the module's pinned sha256 before they are cached (Cache API) or used.
// A wrong hash is a clear error and the bad bytes are evicted, so a poisoned cache cannot persist.
export const MODEL_CACHE = 'faceproof-models-v1';

export async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class WeightsError extends Error {
  constructor(message, { name, url, expected, actual } = {}) {
    super(message);
    this.name = 'WeightsError';
    Object.assign(this, { model: name, url, expected, actual });
  }
}

/**
 * Fetches `entry.file` relative to `modelsUrl`, via the Cache API when available. Resolves to bytes. A cached
 * copy with the wrong hash (e.g. left by an older release at the same URL) is evicted and fetched once more
 * from the network; only a network copy with the wrong hash is an error.
 */
export async function fetchWeights(entry, modelsUrl) {
  const url = new URL(entry.file, modelsUrl).href;
  const cache = 'caches' in self ? await caches.open(MODEL_CACHE) : null;
  const cached = cache ? await cache.match(url) : undefined;
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    if ((await sha256Hex(bytes)) === entry.sha256) return bytes;
    await cache.delete(url);
  }
  let response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (error) {
    throw new WeightsError(`weights ${entry.name}: cannot fetch ${url} (${error.message})`, { name: entry.name, url });
  }
  if (!response.ok) throw new WeightsError(`weights ${entry.name}: HTTP ${response.status} for ${url}`, { name: entry.name, url });
  const bytes = new Uint8Array(await response.clone().arrayBuffer());
  const actual = await sha256Hex(bytes);
  if (actual !== entry.sha256) {
    throw new WeightsError(`weights ${entry.name} at ${url} have sha256 ${actual}, expected ${entry.sha256}`,
      { name: entry.name, url, expected: entry.sha256, actual });
  }
  // Not awaited: writing 9-31 MB to the cache is not on the way to the first frame. A failed write only means
  // the next start fetches again (and a partial entry fails the hash check and is evicted, as above).
  if (cache) cache.put(url, response).catch(() => {});
  return bytes;
}
