// Shared pieces of the headless Chromium tests: a static server on localhost that records every request,
// Debian's Chromium with or without WebGPU, and the native reference detections.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = process.env.FACEPROOF_SHARED ?? path.resolve(ROOT, '../shared');
export const TARGET = process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), '.cache/faceproof/target');
export const ARTIFACTS = path.join(ROOT, 'tests/artifacts');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.bpk': 'application/octet-stream',
  '.png': 'image/png', '.onnx': 'application/octet-stream', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml',
};

/**
 * Serves directories on http://localhost:PORT (a secure context, as WebGPU and WebCrypto need). `mounts` maps
 * URL prefixes to directories, longest prefix first; the default serves www/ at the root.
 */
export async function startServer(mounts = { '/': path.join(ROOT, 'www') }) {
  const requests = [];
  // Path → bytes served instead of the file (e.g. tampered weights).
  const overrides = new Map();
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    requests.push({ method: req.method, url: req.url, body: Buffer.concat(chunks) });
    const pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    const prefix = prefixes.find((p) => pathname.startsWith(p));
    const root = prefix && path.resolve(mounts[prefix]);
    const relative = prefix ? pathname.slice(prefix.length) : '';
    const file = root && path.join(root, relative.endsWith('/') || relative === '' ? `${relative}index.html` : relative);
    if (!root || !file.startsWith(root) || req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    try {
      const body = overrides.get(pathname) ?? (await fs.readFile(file));
      res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${server.address().port}/`;
  return { url, requests, overrides, close: () => new Promise((resolve) => server.close(resolve)) };
}

const BASE_FLAGS = [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-gpu-sandbox',
];

/** Debian's Chromium, headless. `webgpu: false` launches without the flag, so only the CPU path exists. */
export async function launch({ webgpu = true, args = [] } = {}) {
  const flags = [...BASE_FLAGS, ...args];
  if (webgpu) flags.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader');
  else flags.push('--disable-features=WebGPU,Vulkan');
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: flags });
}

/** `use(page)` on the test server's blank page in a fresh Chromium (`launch`'s options), which is closed after. */
export async function onBlankPage(server, options, use) {
  const browser = await launch(options);
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}test/blank.html`);
    return await use(page);
  } finally {
    await browser.close();
  }
}

/** Native detections for `files` on `backend` ("flex" or "wgpu"), from crates/detect's detect_json example. */
export function nativeDetections(backend, files) {
  const binary = path.join(TARGET, 'release/examples/detect_json');
  const out = execFileSync(binary, [backend, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out);
}

export function iou(a, b) {
  const ix = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const iy = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  const inter = Math.max(ix, 0) * Math.max(iy, 0);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}

/** Uploads `file` through the page's photo input and resolves to the page's result (or throws its error). */
export async function detectPhoto(page, file) {
  await page.setInputFiles('#photo', file);
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 120_000 });
  const state = await page.evaluate(() => document.body.dataset.state);
  const status = await page.textContent('#status');
  if (state === 'error') return { error: status };
  const result = JSON.parse(await page.textContent('#result'));
  // The next upload must observe a fresh state change.
  await page.evaluate(() => { document.body.dataset.state = 'ready'; });
  return result;
}

export async function openDemo(browser, server, query = '') {
  const page = await browser.newPage();
  const logs = [];
  page.on('console', (msg) => logs.push(msg.text()));
  page.on('pageerror', (err) => logs.push(`pageerror: ${err.message}`));
  await page.goto(`${server.url}index.html${query}`);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 180_000 });
  return { page, logs };
}

/** Shannon entropy of `bytes`, bits per byte. */
function entropy(bytes) {
  const counts = new Array(256).fill(0);
  for (const b of bytes) counts[b] += 1;
  return counts.reduce((h, c) => (c ? h - (c / bytes.length) * Math.log2(c / bytes.length) : h), 0);
}

const IMAGE_MAGIC = [
  ['JPEG', Buffer.from([0xff, 0xd8, 0xff])], ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47])], ['WebP', Buffer.from('WEBPVP8')],
];
// The same magics as they start a base64 (or base64url) string.
const IMAGE_MAGIC_BASE64 = [['JPEG', '/9j/'], ['JPEG', '_9j_'], ['PNG', 'iVBORw0KGgo'], ['WebP', 'UklGR']];

/**
 * Why `data` (a request body or query string) may carry image data, or null. Flags image magic (raw or
 * base64), any binary blob over 4 KB with high entropy, any base64/hex run over 4 KB (an image or an
 * embedding encoded as text), and anything over `maxBytes`.
 */
export function leakReason(data, { maxBytes = 24 * 1024 } = {}) {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(String(data ?? ''));
  if (bytes.length === 0) return null;
  if (bytes.length > maxBytes) return `${bytes.length} bytes, over the ${maxBytes}-byte bound`;
  for (const [kind, magic] of IMAGE_MAGIC) if (bytes.includes(magic)) return `${kind} magic bytes`;
  const text = bytes.toString('latin1');
  for (const [kind, magic] of IMAGE_MAGIC_BASE64) {
    if (new RegExp(`(^|[^A-Za-z0-9+/_-])${magic.replace(/[/+]/g, '\\$&')}`).test(text)) return `base64 of ${kind}`;
  }
  const run = text.match(/[A-Za-z0-9+/_=-]{4097,}/);
  if (run) return `a ${run[0].length}-character base64/hex run`;
  if (bytes.length > 4096 && entropy(bytes) > 6.5) return `a high-entropy ${bytes.length}-byte blob`;
  return null;
}

/**
 * Starts the verifier service (`faceproof serve`) on a free port, serving www/, with a policy that allows
 * exactly this build's two wasm modules and the manifest's weights (as `./x demo` does). `challengeActions`:
 * the pool challenges draw from (`{actions, min, max}`). Resolves to {base, stop}.
 */
export async function startVerifier({ challengeActions } = {}) {
  const { spawn } = await import('node:child_process');
  const crypto = await import('node:crypto');
  const net = await import('node:net');
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const base = `http://localhost:${port}`;
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'faceproof-verifier-'));
  const manifest = await fs.readFile(path.join(ROOT, 'models/manifest.toml'), 'utf8');
  const models = [...manifest.matchAll(/^weights_sha256 = "([0-9a-f]{64})"/gm)].map((m) => m[1]);
  // Both modules of this build: the full (WebGPU + CPU) one and the CPU-only one.
  const wasm = await Promise.all(['faceproof_bg.wasm', 'faceproof_cpu_bg.wasm'].map(async (file) =>
    crypto.createHash('sha256').update(await fs.readFile(path.join(ROOT, 'www/pkg', file))).digest('hex')));
  const list = (xs) => `[${xs.map((x) => `"${x}"`).join(', ')}]`;
  let config = `listen = "127.0.0.1:${port}"
www_dir = "${path.join(ROOT, 'www')}"
key_file = "${path.join(work, 'key.pem')}"
store = "sqlite:${path.join(work, 'replay.sqlite3')}"

[policy]
audience = "${base}"
allowed_models = ${list(models)}
allowed_modules = ${list(wasm)}
allowed_backends = ["webgpu", "cpu", "webgpu+cpu"]
`;
  if (challengeActions) {
    config += `\n[challenge_actions]\nactions = ${list(challengeActions.actions)}\nmin = ${challengeActions.min}\nmax = ${challengeActions.max}\n`;
  }
  await fs.writeFile(path.join(work, 'config.toml'), config);
  const binary = process.env.FACEPROOF_BIN ?? path.join(TARGET, 'debug/faceproof');
  const service = spawn(binary, ['serve', '--config', path.join(work, 'config.toml')]);
  let log = '';
  service.stdout.on('data', (d) => { log += d; });
  service.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 200 && !log.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 50));
  if (!log.includes('listening on')) throw new Error(`faceproof serve did not start:\n${log}`);
  return {
    base,
    log: () => log,
    async challenge() {
      const response = await fetch(`${base}/v1/challenges`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!response.ok) throw new Error(`challenge: HTTP ${response.status}`);
      return response.json();
    },
    async stop() {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.once('exit', resolve));
      await fs.rm(work, { recursive: true, force: true });
    },
  };
}
