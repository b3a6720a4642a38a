// The detector demo: loads the wasm module and YuNet weights (sha256-checked, cached with the Cache API),
// runs detection on an uploaded photo or camera frames, and draws boxes and the five keypoints.
// Nothing here sends pixels anywhere: the only requests are GETs for the module and the weights.
import init, { Detector, weightsManifest, moduleVersion } from './pkg/faceproof.js';

const MODEL_CACHE = 'faceproof-models-v1';
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let detector = null;
let cameraStream = null;

function setStatus(state, text) {
  document.body.dataset.state = state;
  $('status').textContent = text;
}

async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Fetches a weights file by URL through the Cache API. Only bytes whose sha256 matches the module's pinned
// value are cached; the module checks the hash again before use.
async function fetchWeights(entry, baseUrl) {
  const url = new URL(entry.file, baseUrl).href;
  const cache = 'caches' in self ? await caches.open(MODEL_CACHE) : null;
  let response = cache && (await cache.match(url));
  let fromCache = Boolean(response);
  if (!response) response = await fetch(url);
  if (!response.ok) throw new Error(`weights ${entry.name}: HTTP ${response.status} for ${url}`);
  const bytes = new Uint8Array(await response.clone().arrayBuffer());
  const actual = await sha256Hex(bytes);
  if (actual !== entry.sha256) {
    if (cache) await cache.delete(url);
    throw new Error(`weights ${entry.name} at ${url} have sha256 ${actual}, expected ${entry.sha256}`);
  }
  if (cache && !fromCache) await cache.put(url, response);
  return bytes;
}

async function createDetector(backend) {
  const entry = JSON.parse(weightsManifest()).find((m) => m.name === 'yunet');
  const modelsUrl = new URL(params.get('models') ?? 'models/', location.href);
  const weights = await fetchWeights(entry, modelsUrl);
  const started = performance.now();
  const created = await Detector.create(backend, weights);
  return { detector: created, loadMs: performance.now() - started };
}

function draw(source, width, height, faces) {
  const canvas = $('view');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(source, 0, 0, width, height);
  const line = Math.max(2, Math.round(Math.max(width, height) / 320));
  ctx.lineWidth = line;
  const colours = ['#ff3b30', '#34c759', '#0a84ff', '#ff9f0a', '#bf5af2'];
  for (const face of faces) {
    const [x, y, w, h] = face.bbox;
    ctx.strokeStyle = '#34c759';
    ctx.strokeRect(x, y, w, h);
    ctx.fillStyle = '#34c759';
    ctx.font = `${6 * line}px system-ui`;
    ctx.fillText(face.score.toFixed(2), x, Math.max(6 * line, y - line));
    face.landmarks.forEach(([px, py], i) => {
      ctx.fillStyle = colours[i];
      ctx.beginPath();
      ctx.arc(px, py, 1.5 * line, 0, 2 * Math.PI);
      ctx.fill();
    });
  }
}

function report(faces, ms) {
  const backend = detector.backend;
  $('result').textContent = JSON.stringify({ backend, ms, faces }, null, 1);
  setStatus('done', `${faces.length} face(s) · ${backend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)'} · ${ms.toFixed(0)} ms`);
}

async function detectPhoto(file) {
  setStatus('busy', 'Detecting…');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const started = performance.now();
  let result;
  try {
    result = JSON.parse(await detector.detectEncoded(bytes));
  } catch (error) {
    setStatus('error', `This photo could not be used: ${error.message ?? error}`);
    return;
  }
  const ms = performance.now() - started;
  // Browsers apply EXIF orientation when decoding, as the module does, so the boxes line up.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  draw(bitmap, result.width, result.height, result.faces);
  bitmap.close();
  report(result.faces, ms);
}

async function cameraLoop(video) {
  const scratch = new OffscreenCanvas(1, 1);
  const ctx = scratch.getContext('2d', { willReadFrequently: true });
  while (cameraStream) {
    const { videoWidth: width, videoHeight: height } = video;
    if (width && height) {
      scratch.width = width;
      scratch.height = height;
      ctx.drawImage(video, 0, 0);
      const pixels = ctx.getImageData(0, 0, width, height).data;
      const started = performance.now();
      const faces = JSON.parse(await detector.detectRgba(width, height, new Uint8Array(pixels.buffer)));
      draw(video, width, height, faces);
      report(faces, performance.now() - started);
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

async function startCamera() {
  try {
    cameraStream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  } catch (error) {
    setStatus('error', `The camera is not available (${error.name}). You can choose a photo instead.`);
    return;
  }
  const video = $('video');
  video.srcObject = cameraStream;
  await video.play();
  $('camera').hidden = true;
  $('stop').hidden = false;
  cameraLoop(video).catch((error) => setStatus('error', `Detection failed: ${error.message ?? error}`));
}

function stopCamera() {
  cameraStream?.getTracks().forEach((track) => track.stop());
  cameraStream = null;
  $('camera').hidden = false;
  $('stop').hidden = true;
}

async function switchBackend(backend) {
  setStatus('loading', 'Loading the face detector…');
  try {
    const created = await createDetector(backend);
    detector?.free();
    detector = created.detector;
    setStatus('ready', `Ready · ${detector.backend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)'} · faceproof ${moduleVersion()} · loaded in ${created.loadMs.toFixed(0)} ms`);
    console.log(`faceproof backend: ${detector.backend}`);
  } catch (error) {
    setStatus('error', `The face detector could not start: ${error.message ?? error}`);
  }
}

await init();
const requested = params.get('backend') ?? 'auto';
$('backend').value = requested;
$('backend').addEventListener('change', (e) => switchBackend(e.target.value));
$('photo').addEventListener('change', (e) => e.target.files[0] && detectPhoto(e.target.files[0]));
$('camera').addEventListener('click', startCamera);
$('stop').addEventListener('click', stopCamera);
await switchBackend(requested);
