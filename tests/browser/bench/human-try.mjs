// `node bench/human-try.mjs [--smoke]`: benchHuman on both backends, printed as JSON.
import { SHARED, startServer, launch } from '../harness.mjs';
import { HUMAN_MOUNTS, benchHuman } from './human-runner.mjs';

const smoke = process.argv.includes('--smoke');
const iterations = smoke ? 1 : 3;
const warmup = smoke ? 0 : 1;
const imageUrl = '/data/data/faces-deepface/images/img1.jpg';

const server = await startServer({ ...HUMAN_MOUNTS, '/data/': SHARED });
try {
  const results = [];
  for (const backend of ['webgpu', 'wasm']) {
    const started = performance.now();
    const result = await benchHuman({ server, launch, backend, iterations, warmup, imageUrl });
    results.push({ ...result, wallMs: Math.round(performance.now() - started) });
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  await server.close();
}
