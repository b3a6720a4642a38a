// The detector demo: runs detection in the faceproof worker on an uploaded photo or on camera frames, and
// draws boxes and the five keypoints. The only requests are GETs for code and weights; no pixel leaves.
import { FaceProof } from './sdk/faceproof.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let faceproof = null;
let cameraStream = null;

// Longest main-thread task while the page runs (the worker must keep this small).
window.faceproofLongestTaskMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.faceproofLongestTaskMs = Math.max(window.faceproofLongestTaskMs, entry.duration);
}).observe({ type: 'longtask', buffered: true });

function setStatus(state, text) {
  document.body.dataset.state = state;
  $('status').textContent = text;
}

const backendName = (backend) => (backend === 'webgpu' ? 'WebGPU' : 'CPU (wasm)');

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

function report({ faces, ms, backend }) {
  $('result').textContent = JSON.stringify({ backend, ms, faces }, null, 1);
  setStatus('done', `${faces.length} face(s) · ${backendName(backend)} · ${ms.toFixed(0)} ms`);
}

async function detectPhoto(file) {
  setStatus('busy', 'Detecting…');
  let result;
  try {
    result = await faceproof.detectPhoto(file);
  } catch (error) {
    setStatus('error', `This photo could not be used: ${error.message}`);
    return;
  }
  // Browsers apply EXIF orientation when decoding, as the module does, so the boxes line up.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  draw(bitmap, result.width, result.height, result.faces);
  bitmap.close();
  report(result);
}

async function cameraLoop(video) {
  while (cameraStream) {
    if (video.videoWidth) {
      const bitmap = await createImageBitmap(video);
      const result = await faceproof.detectFrame(bitmap);
      draw(video, result.width, result.height, result.faces);
      report(result);
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
  cameraLoop(video).catch((error) => setStatus('error', `Detection failed: ${error.message}`));
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
    const created = await FaceProof.create({ backend, models: 'detector', modelsUrl: new URL(params.get('models') ?? 'models/', location.href) });
    faceproof?.close();
    faceproof = created;
    setStatus('ready', `Ready · ${backendName(faceproof.backend)} · faceproof ${faceproof.version} · loaded in ${faceproof.loadMs.toFixed(0)} ms`);
    console.log(`faceproof backend: ${faceproof.backend}`);
  } catch (error) {
    setStatus('error', `The face detector could not start: ${error.message}`);
  }
}

const requested = params.get('backend') ?? 'auto';
$('backend').value = requested;
$('backend').addEventListener('change', (e) => switchBackend(e.target.value));
$('photo').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  // Clear the input so choosing the same photo again fires another change.
  e.target.value = '';
  if (file) await detectPhoto(file);
});
$('camera').addEventListener('click', startCamera);
$('stop').addEventListener('click', stopCamera);
await switchBackend(requested);
