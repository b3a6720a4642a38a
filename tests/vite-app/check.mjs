// Headless check of the example app in Debian's Chromium (playwright-core from tests/browser, never a
// downloaded browser) on the CPU backend: upload a photo, expect exactly one face, and check where the worker
// and the .wasm came from and that every request succeeded. Served on 127.0.0.1, weights at /models/.
//   node check.mjs vite  DIST_DIR    MODELS_DIR PHOTO              the Vite build (worker + wasm bundled)
//   node check.mjs plain PACKAGE_DIR MODELS_DIR PHOTO              the same src/main.js unbundled: plain/index.html
//                                                                  with an import map, the package at /node_modules/faceproof/
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(HERE, '../browser/package.json'));
const { chromium } = require('playwright-core');

const [mode, ...dirs] = process.argv.slice(2);
const [served, models, photo] = dirs.map((p) => path.resolve(p));
if (!['vite', 'plain'].includes(mode) || !photo) {
  console.error('usage: node check.mjs vite|plain DIR MODELS_DIR PHOTO');
  process.exit(2);
}
const mounts = mode === 'vite'
  ? [['/models/', models], ['/', served]]
  : [['/models/', models], ['/node_modules/faceproof/', served], ['/src/', path.join(HERE, 'src')], ['/', path.join(HERE, 'plain')]];
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.json': 'application/json', '.bpk': 'application/octet-stream', '.svg': 'image/svg+xml',
};
const requests = [];
const server = http.createServer(async (req, res) => {
  const pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  const [prefix, root] = mounts.find(([p]) => pathname.startsWith(p));
  const rel = pathname.slice(prefix.length);
  const file = path.join(root, rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel);
  let status = 200;
  try {
    if (req.method !== 'GET' || !file.startsWith(root + path.sep)) throw Object.assign(new Error(), { status: 405 });
    const body = await fs.readFile(file);
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch (error) {
    status = error.status ?? 404;
    res.writeHead(status).end();
  }
  requests.push({ method: req.method, path: pathname, status });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--disable-features=WebGPU,Vulkan'],
});
let failed = false;
const fail = (message) => { console.error(`FAIL: ${message}`); failed = true; };
try {
  const page = await browser.newPage();
  const logs = [];
  page.on('console', (msg) => logs.push(`console.${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => logs.push(`pageerror: ${err.message}`));
  const started = Date.now();
  await page.goto(`${origin}/?backend=cpu`);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 60_000 })
    .catch((error) => { throw new Error(`${error.message}\n${logs.join('\n')}\nrequests: ${JSON.stringify(requests)}`); });
  const loaded = Date.now();
  if (await page.evaluate(() => document.body.dataset.state) !== 'ready') {
    throw new Error(`the page did not start: ${await page.textContent('#status')}\n${logs.join('\n')}`);
  }
  await page.setInputFiles('#photo', photo);
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 60_000 });
  const status = await page.textContent('#status');
  if (await page.evaluate(() => document.body.dataset.state) !== 'done') throw new Error(`detection failed: ${status}\n${logs.join('\n')}`);
  const result = JSON.parse(await page.textContent('#result'));
  console.log(`page ready in ${loaded - started} ms; ${path.basename(photo)}: ${status}`);
  if (result.faces.length !== 1) fail(`expected 1 face in ${path.basename(photo)}, got ${result.faces.length}`);
  if (result.backend !== 'cpu') fail(`expected the cpu backend, got ${result.backend}`);
  const face = result.faces[0];
  if (face && !(face.score > 0.5 && face.bbox[2] > 20 && face.landmarks.length === 5)) fail(`implausible face ${JSON.stringify(face)}`);

  const paths = requests.map((r) => r.path);
  // The CPU backend loads the CPU-only module, never the full one.
  const [workerRe, wasmRe, fullRe] = mode === 'vite'
    ? [/^\/assets\/worker-[\w-]+\.js$/, /^\/assets\/faceproof_cpu_bg-[\w-]+\.wasm$/, /^\/assets\/faceproof_bg-/]
    : [/^\/node_modules\/faceproof\/sdk\/worker\.js$/, /^\/node_modules\/faceproof\/pkg\/faceproof_cpu_bg\.wasm$/, /\/faceproof_bg\.wasm$/];
  if (!paths.some((p) => workerRe.test(p))) fail(`the worker (${workerRe}) was not loaded: ${paths.join(' ')}`);
  if (!paths.some((p) => wasmRe.test(p))) fail(`the wasm (${wasmRe}) was not loaded: ${paths.join(' ')}`);
  if (paths.some((p) => fullRe.test(p))) fail(`the full (WebGPU) module was fetched for the CPU backend: ${paths.join(' ')}`);
  if (!paths.includes('/models/yunet.bpk')) fail('the weights were not fetched from /models/');
  const bad = requests.filter((r) => r.status !== 200 && r.path !== '/favicon.ico');
  if (bad.length) fail(`failed requests: ${JSON.stringify(bad)}`);
  const errors = logs.filter((l) => l.startsWith('pageerror') || l.startsWith('console.error'));
  if (errors.length) fail(`page errors:\n${errors.join('\n')}`);
  console.log(`requests: ${requests.map((r) => `${r.path} ${r.status}`).join(', ')}`);
} finally {
  await browser.close();
  server.close();
}
if (failed) process.exit(1);
console.log(mode === 'vite' ? 'vite app: OK (worker and wasm bundled by Vite, one face detected on the CPU backend)'
  : 'plain ESM + import map: OK (the package served as is, one face detected on the CPU backend)');
