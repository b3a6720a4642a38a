// The faceproof worker: all inference runs here, never on the page's main thread. Frames arrive as
// transferred ImageBitmaps (or encoded bytes for photos) and are released as soon as they are read.
import init, { Detector, weightsManifest, moduleVersion } from '../pkg/faceproof.js';
import { fetchWeights } from './model-loader.js';

let detector = null;
const scratch = new OffscreenCanvas(1, 1);
const scratchContext = scratch.getContext('2d', { willReadFrequently: true });

function rgbaOf(bitmap) {
  scratch.width = bitmap.width;
  scratch.height = bitmap.height;
  scratchContext.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = scratchContext.getImageData(0, 0, scratch.width, scratch.height);
  // Wipe the scratch canvas: it held face pixels.
  scratchContext.clearRect(0, 0, scratch.width, scratch.height);
  return new Uint8Array(data.buffer);
}

const handlers = {
  async create({ backend, modelsUrl }) {
    await init();
    const entry = JSON.parse(weightsManifest()).find((m) => m.name === 'yunet');
    const weights = await fetchWeights(entry, modelsUrl);
    const started = performance.now();
    detector?.free();
    detector = await Detector.create(backend, weights);
    return { backend: detector.backend, version: moduleVersion(), loadMs: performance.now() - started, manifest: JSON.parse(weightsManifest()) };
  },
  async detectEncoded({ bytes }) {
    const started = performance.now();
    const result = JSON.parse(await detector.detectEncoded(new Uint8Array(bytes)));
    return { ...result, ms: performance.now() - started, backend: detector.backend };
  },
  async detectBitmap({ bitmap }) {
    const { width, height } = bitmap;
    const rgba = rgbaOf(bitmap);
    const started = performance.now();
    const faces = JSON.parse(await detector.detectRgba(width, height, rgba));
    rgba.fill(0);
    return { width, height, faces, ms: performance.now() - started, backend: detector.backend };
  },
};

self.onmessage = async ({ data: { id, type, payload } }) => {
  try {
    if (type !== 'create' && !detector) throw new Error('the detector is not created yet');
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    self.postMessage({ id, ok: true, result: await handler(payload) });
  } catch (error) {
    self.postMessage({ id, ok: false, error: { name: error.name ?? 'Error', message: error.message ?? String(error) } });
  }
};
