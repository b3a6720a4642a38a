// `./x bench [--smoke]`: faceproof against its peers on the same machine, in one run.
// Writes BENCHMARKS.md (table, command, machine) and tests/artifacts/bench-ratios.png.
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { ROOT, SHARED, TARGET, ARTIFACTS, startServer, launch } from './harness.mjs';

const smoke = process.argv.includes('--smoke');
const iterations = smoke ? 1 : 15;
const warmup = smoke ? 0 : 3;
const IMAGE = 'data/faces-deepface/images/img1.jpg';
const here = path.dirname(new URL(import.meta.url).pathname);

// A peer that fails (no adapter, a missing EP) is reported with its error; faceproof failing is fatal.
async function inBrowser(server, webgpu, page) {
  const browser = await launch({ webgpu });
  try {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}${page}&iterations=${iterations}&warmup=${warmup}&image=/data/${IMAGE}`);
    const result = await tab.evaluate(() => window.benchResult);
    const memory = await tab.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
    if (result.error) {
      if (page.includes('faceproof')) throw new Error(`${page}: ${result.error}`);
      return { runtime: page, error: result.error };
    }
    return { ...result, jsHeapBytes: memory };
  } finally {
    await browser.close();
  }
}

function nativeFaceproof(backend) {
  const binary = path.join(TARGET, 'release/examples/detect_json');
  const samples = [];
  for (let i = 0; i < Math.max(iterations, 1); i++) {
    const out = JSON.parse(execFileSync(binary, [backend, path.join(SHARED, IMAGE)], { encoding: 'utf8' }));
    samples.push(out.images[0].ms);
  }
  samples.sort((a, b) => a - b);
  return { runtime: `faceproof native (${backend === 'wgpu' ? 'wgpu, lavapipe' : 'flex'})`,
    detector: { median: samples[samples.length >> 1], min: samples[0], max: samples.at(-1), n: samples.length } };
}

function nativeOnnxruntime() {
  const script = path.join(here, 'bench/bench_onnxruntime.py');
  try {
    return JSON.parse(execFileSync('python3', [script, path.join(SHARED, 'models/yunet/yunet_s_640_640.onnx'),
      path.join(SHARED, IMAGE), String(iterations), String(warmup)], { encoding: 'utf8' }));
  } catch (error) {
    return { runtime: 'onnxruntime native (CPU)', error: `not available: ${String(error.message).split('\n')[0]}` };
  }
}

async function shippedBytes() {
  const files = [];
  for (const dir of ['www/pkg', 'www/sdk', 'www/models']) {
    for (const name of await fs.readdir(path.join(ROOT, dir))) {
      if (name.endsWith('.d.ts') || name === 'package.json') continue;
      const bytes = await fs.readFile(path.join(ROOT, dir, name));
      files.push({ file: `${dir}/${name}`, raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length });
    }
  }
  return files;
}

async function chart(rows, out) {
  // Render the ratio chart in Chromium and screenshot it: no plotting dependency.
  const bars = rows.filter((r) => Number.isFinite(r.ratio));
  const width = 720;
  const height = 60 + 36 * bars.length;
  const max = Math.max(1.2, ...bars.map((b) => b.ratio));
  const svg = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `<text x="10" y="22" font-size="15" font-weight="bold">faceproof time / peer time (lower is better; 1 = parity)</text>`];
  const x0 = 300;
  const scale = (width - x0 - 60) / max;
  bars.forEach((b, i) => {
    const y = 40 + i * 36;
    svg.push(`<text x="10" y="${y + 17}">${b.label}</text>`,
      `<rect x="${x0}" y="${y}" width="${Math.max(1, b.ratio * scale)}" height="24" fill="${b.ratio <= 1 ? '#2e7d32' : '#c62828'}"/>`,
      `<text x="${x0 + b.ratio * scale + 6}" y="${y + 17}">${b.ratio.toFixed(2)}×</text>`);
  });
  svg.push(`<line x1="${x0 + scale}" y1="34" x2="${x0 + scale}" y2="${height - 8}" stroke="#333" stroke-dasharray="4 3"/>`, '</svg>');
  const browser = await launch({ webgpu: false });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.setContent(`<body style="margin:0">${svg.join('')}</body>`);
    await page.screenshot({ path: out });
  } finally {
    await browser.close();
  }
}

const fmt = (s) => (s ? `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '—');

async function main() {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const server = await startServer({
    '/': path.join(ROOT, 'www'),
    '/bench/': path.join(here, 'bench'),
    '/ort/': path.join(here, 'node_modules/onnxruntime-web/dist'),
    '/onnx/': path.join(SHARED, 'models'),
    '/data/': SHARED,
  });
  const results = {};
  try {
    results.fpWebgpu = await inBrowser(server, true, 'bench/faceproof.html?backend=webgpu');
    results.ortWebgpu = await inBrowser(server, true, 'bench/ort.html?ep=webgpu');
    results.fpCpu = await inBrowser(server, false, 'bench/faceproof.html?backend=cpu');
    results.ortWasm = await inBrowser(server, false, 'bench/ort.html?ep=wasm');
  } finally {
    await server.close();
  }
  results.fpFlex = nativeFaceproof('flex');
  results.fpWgpu = nativeFaceproof('wgpu');
  results.ortNative = nativeOnnxruntime();
  const bytes = await shippedBytes();

  const ratio = (a, b) => (a?.detector && b?.detector ? a.detector.median / b.detector.median : NaN);
  const rows = [
    { label: 'detector, WebGPU: faceproof / ort-web', ratio: ratio(results.fpWebgpu, results.ortWebgpu) },
    { label: 'detector, CPU wasm: faceproof / ort-web', ratio: ratio(results.fpCpu, results.ortWasm) },
    { label: 'detector, native CPU: flex / onnxruntime', ratio: ratio(results.fpFlex, results.ortNative) },
    { label: 'cold start, WebGPU: faceproof / ort-web', ratio: results.fpWebgpu.coldStartMs / results.ortWebgpu.coldStartMs },
    { label: 'cold start, CPU: faceproof / ort-web', ratio: results.fpCpu.coldStartMs / results.ortWasm.coldStartMs },
  ].map((r) => ({ ...r, ratio: Number.isFinite(r.ratio) ? r.ratio : NaN }));
  // A full run's chart sits beside BENCHMARKS.md (docs/); a smoke run's stays with the test artifacts.
  const chartPath = smoke ? path.join(ARTIFACTS, 'bench-ratios.png') : path.join(ROOT, 'docs/bench-ratios.png');
  await chart(rows, chartPath);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmarks', '',
    `Command: \`./x bench\`${smoke ? ' (smoke: 1 iteration, no warm-up — not a measurement)' : ''}. Generated ${new Date().toISOString()}.`,
    `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Chromium ${await chromiumVersion()} headless, WebGPU on SwiftShader (CPU); native wgpu on Mesa lavapipe (CPU).`,
    `Input: \`${IMAGE}\` from ../shared; each figure is the median over ${iterations} runs after ${warmup} warm-up runs, with (min–max), in ms.`,
    '', '## Face detector (YuNet 640×640), image → faces', '',
    '| runtime | median (min–max) ms | cold start ms | JS heap |', '|---|---|---|---|',
    ...Object.values(results).map((r) => `| ${r.runtime} | ${r.error ? r.error : fmt(r.detector)} | ${r.coldStartMs?.toFixed(0) ?? '—'} | ${r.jsHeapBytes ? `${(r.jsHeapBytes / 2 ** 20).toFixed(1)} MiB` : '—'} |`),
    '', '## Ratios, pair by pair in this run (faceproof / peer; below 1 = faceproof faster)', '',
    '| pair | ratio |', '|---|---|', ...rows.map((r) => `| ${r.label} | ${Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : '—'} |`),
    '', `![ratios](${path.relative(ROOT, chartPath)})`, '',
    '## Bytes shipped', '', '| file | raw | gzip -9 |', '|---|---|---|',
    ...bytes.map((b) => `| ${b.file} | ${b.raw} | ${b.gzip} |`),
    `| **total** | ${bytes.reduce((a, b) => a + b.raw, 0)} | ${bytes.reduce((a, b) => a + b.gzip, 0)} |`, '',
  ];
  const notes = await fs.readFile(path.join(ROOT, 'docs/benchmark-notes.md'), 'utf8').catch(() => '');
  const out = smoke ? path.join(ARTIFACTS, 'BENCHMARKS.smoke.md') : path.join(ROOT, 'BENCHMARKS.md');
  await fs.writeFile(out, lines.join('\n') + (notes ? `\n${notes}` : ''));
  console.log(lines.join('\n'));
  console.log(`wrote ${out}`);
}

async function chromiumVersion() {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim().split(' ')[1];
  } catch {
    return 'unknown';
  }
}

await main();
