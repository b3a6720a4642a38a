// The smallest useful faceproof page: detect faces in a photo (or in camera frames) on this device.
// Vite bundles the package's worker and its .wasm; the weights are served by this app at /models/.
import { FaceProof, openCamera } from 'faceproof';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const photo = /** @type {HTMLInputElement} */ ($('photo'));
const cameraButton = /** @type {HTMLButtonElement} */ ($('camera'));
const view = /** @type {HTMLCanvasElement} */ ($('view'));
const video = /** @type {HTMLVideoElement} */ ($('video'));

/** @param {string} state @param {string} text */
function show(state, text) {
  document.body.dataset.state = state;
  $('status').textContent = text;
}

/** @param {CanvasImageSource & {width: number, height: number}} image @param {import('faceproof').Face[]} faces */
function draw(image, faces) {
  view.width = image.width;
  view.height = image.height;
  const ctx = /** @type {CanvasRenderingContext2D} */ (view.getContext('2d'));
  ctx.drawImage(image, 0, 0);
  ctx.lineWidth = Math.max(2, image.width / 200);
  ctx.strokeStyle = '#0a0';
  for (const { bbox: [x, y, w, h] } of faces) ctx.strokeRect(x, y, w, h);
}

const backend = /** @type {'auto' | 'webgpu' | 'cpu'} */ (new URLSearchParams(location.search).get('backend') ?? 'auto');
show('loading', 'Loading the face detector…');
let fp;
try {
  // 'detector' loads YuNet only (one 0.2 MB weights file); a liveness session needs models: 'all'.
  fp = await FaceProof.create({ modelsUrl: '/models/', backend, models: 'detector' });
  show('ready', `Ready: ${fp.backend} backend, module ${fp.version}. Choose a photo.`);
  photo.disabled = false;
  cameraButton.disabled = false;
} catch (error) {
  show('error', `Cannot start: ${error.name}: ${error.message}`);
  throw error;
}

photo.addEventListener('change', async () => {
  const file = photo.files?.[0];
  if (!file) return;
  show('busy', 'Detecting…');
  try {
    const result = await fp.detectPhoto(file);
    draw(await createImageBitmap(file), result.faces);
    $('result').textContent = JSON.stringify(result);
    show('done', `${result.faces.length} face(s) in ${result.ms.toFixed(0)} ms (${result.backend})`);
  } catch (error) {
    show('error', `${error.name}: ${error.message}`);
  }
});

cameraButton.addEventListener('click', async () => {
  try {
    await openCamera(video);
  } catch (error) {
    // CameraDenied, CameraMissing, CameraBusy, Unsupported: offer another way to verify.
    show('error', `Camera unavailable (${error.name}): use a photo instead.`);
    return;
  }
  video.hidden = false;
  const loop = async () => {
    const frame = await createImageBitmap(video);
    const { faces } = await fp.detectFrame(frame);
    $('status').textContent = `${faces.length} face(s) in view`;
    setTimeout(loop, 250);
  };
  loop();
});
