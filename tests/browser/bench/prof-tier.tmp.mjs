// Runs CPU liveness frames (detect every frame) in headless Chromium for tests/browser/bench/cpu_frame_profile.sh,
// which records them with Linux perf. Serves $PROFILE_WWW (a copy of www/ whose CPU module keeps its function
// names) and prints the page's per-frame figures.
import path from 'node:path';
import { SHARED, startServer, launch } from '../harness.mjs';

const frames = Number(process.env.FRAMES ?? 30);
const server = await startServer({ '/': process.env.PROFILE_WWW, '/data/': SHARED });
// V8 writes /tmp/perf-PID.map for perf; TurboFan only, so each function has one compiled body to attribute.
const browser = await launch({ webgpu: false, args: ['--js-flags=--perf-basic-prof'] });
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}index.html`);
  const rows = await page.evaluate(async ({ image, frames }) => {
    const { FaceProof } = await import('/sdk/faceproof.js');
    const fp = await FaceProof.create({ backend: 'cpu', models: 'all', modelsUrl: '/models/' });
    const source = await createImageBitmap(await (await fetch(image)).blob());
    const rows = [];
    for (let i = 0; i < frames; i++) {
      const start = performance.now();
      const r = await fp.livenessFrame(await createImageBitmap(source), { mode: 'detect' });
      rows.push([performance.now() - start, r.readMs, r.detect_ms, r.landmarks_ms, r.antispoof_ms]);
    }
    return rows;
  }, { image: '/data/data/faces-deepface/images/img1.jpg', frames });
  const median = (i) => rows.slice(2).map((r) => r[i]).sort((a, b) => a - b)[Math.floor((rows.length - 2) / 2)];
  console.log(`median of ${rows.length - 2} frames after 2 (ms): frame ${median(0).toFixed(1)}, read ${median(1).toFixed(1)}, ` +
    `detect ${median(2).toFixed(1)}, landmarks ${median(3).toFixed(1)}, anti-spoof ${median(4).toFixed(1)}`);
} finally {
  await browser.close();
  await server.close();
}
