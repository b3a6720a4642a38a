// The peer "human 3.3.6" (@vladmandic/human, tfjs 4.22.0 bundled) in headless Chromium, on tfjs-webgpu or
// tfjs-wasm. The page is bench/human.html; everything it loads comes from the mounts below.
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(here, '../node_modules');

/**
 * Mounts benchHuman needs on startServer, to merge into the caller's: the bench pages, human's npm package
 * (bundle at dist/, models at models/) and the tfjs wasm binaries (human 3.3.6 would take them from jsdelivr).
 * The image URL passed to benchHuman must be served too (e.g. '/data/': SHARED).
 */
export const HUMAN_MOUNTS = {
  '/bench/': here,
  '/human/': path.join(modules, '@vladmandic/human'),
  '/tfjs-wasm/': path.join(modules, '@tensorflow/tfjs-backend-wasm/dist'),
};
// The peer's own bytes: what the page fetched from these count as human's download size.
const PEER_PREFIXES = ['/human/', '/tfjs-wasm/'];

const TIMEOUT_MS = 300_000;

/**
 * Runs bench/human.html once in a fresh Chromium. Resolves to {runtime, coldStartMs, frame, stages, faces,
 * jsHeapBytes, bytes} or, when the backend cannot run (or finds no face), {runtime, error}.
 */
export async function benchHuman({ server, launch, backend, iterations = 10, warmup = 2, imageUrl }) {
  const runtime = `human 3.3.6 (tfjs-${backend})`;
  const browser = await launch({ webgpu: backend === 'webgpu' });
  const first = server.requests.length;
  try {
    const page = await browser.newPage();
    const logs = [];
    const offsite = [];
    page.on('console', (msg) => logs.push(msg.text()));
    page.on('pageerror', (err) => logs.push(`pageerror: ${err.message}`));
    // Nothing may come from a CDN: anything not on our server is a configuration error.
    page.on('request', (req) => { if (!req.url().startsWith(server.url) && !req.url().startsWith('data:')) offsite.push(req.url()); });
    const query = new URLSearchParams({ backend, iterations, warmup, image: imageUrl });
    await page.goto(`${server.url}bench/human.html?${query}`);
    let timer;
    const result = await Promise.race([
      page.evaluate(() => window.benchResult),
      new Promise((resolve) => { timer = setTimeout(() => resolve({ error: `no result in ${TIMEOUT_MS / 1000} s` }), TIMEOUT_MS); }),
    ]).finally(() => clearTimeout(timer));
    if (offsite.length) return { runtime, error: `fetched off localhost: ${[...new Set(offsite)].join(', ')}` };
    if (result.error) {
      const tail = logs.filter((l) => /error|warn|fail/i.test(l)).slice(-5);
      return { runtime, error: tail.length ? `${result.error} (console: ${tail.join(' | ')})` : result.error };
    }
    const jsHeapBytes = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
    return { ...result, runtime, jsHeapBytes, bytes: await fetchedBytes(server.requests.slice(first)) };
  } finally {
    await browser.close();
  }
}

/** Raw and gzip -9 sizes of every distinct file the page fetched from the peer's mounts. */
async function fetchedBytes(requests) {
  const paths = new Set(requests.map((r) => decodeURIComponent(new URL(r.url, 'http://localhost').pathname)));
  const files = [];
  for (const url of [...paths].sort()) {
    const prefix = PEER_PREFIXES.find((p) => url.startsWith(p));
    if (!prefix) continue;
    const bytes = await fs.readFile(path.join(HUMAN_MOUNTS[prefix], url.slice(prefix.length))).catch(() => null);
    if (!bytes) continue;  // a 404: nothing was shipped
    files.push({ file: url, raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length });
  }
  return files;
}
