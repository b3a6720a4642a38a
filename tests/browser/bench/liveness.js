// The per-frame liveness loop for a peer runtime in the browser: YuNet (fit to 640, padded to 32s) → FaceMesh (192² rotated face
// crop) → Iris (two 64² eye crops, one batch of 2) → MiniFASNet V2 + V1SE (80² crops at ×2.7 and ×4.0),
// plus the dlib embedding (150² aligned chip). Pre- and post-processing mirror faceproof's stages (see
// tests/parity/*_goldens.py and models/manifest.toml) and run every frame as real work, on OffscreenCanvas
// transforms (how a page usually crops), so the peer's time includes what faceproof's includes.
// `run(name, feeds)` runs one model and resolves to its outputs read back to the CPU as Float32Arrays.
export const MODELS = {
  yunet: '/onnx-bench/yunet_any_size.onnx',
  facemesh: '/onnx/mediapipe-onnx/face_landmark.onnx',
  iris: '/onnx-bench/iris_landmark_batch.onnx',
  minifasnet_v2: '/onnx/minifasnet/MiniFASNetV2.onnx',
  minifasnet_v1se: '/onnx/minifasnet/MiniFASNetV1SE.onnx',
  dlib_resnet: '/onnx-bench/dlib_resnet.onnx',
};
export const LOOP_MODELS = ['yunet', 'facemesh', 'iris', 'minifasnet_v2', 'minifasnet_v1se'];

const SCORE_THRESHOLD = 0.87; // crates/detect DetectorConfig::default()
const NMS_IOU = 0.3;
const MESH_SIZE = 192;
const MESH_ROI_SCALE = 1.2;   // crates/landmarks ROI_SCALE
const EYE_SIZE = 64;
const EYE_ROI_SCALE = 2.3;
const EYES = [[33, 133, false], [362, 263, true]]; // mesh corners; the subject's left eye is mirrored
const SPOOF_SIZE = 80;
const CHIP = 150;
// crates/embed/src/align.rs YUNET_CHIP_TEMPLATE: where YuNet's 5 points sit in dlib's 150² chip.
const CHIP_TEMPLATE = [[46.4, 44.94], [102.14, 45.12], [74.07, 78.11], [49.9, 100.76], [99.35, 100.93]];

const canvases = new Map();
function canvas(width, height) {
  const key = `${width}x${height}`;
  if (!canvases.has(key)) {
    const c = new OffscreenCanvas(width, height);
    canvases.set(key, c.getContext('2d', { willReadFrequently: true }));
  }
  return canvases.get(key);
}

/**
 * `draw(ctx)` onto a size² canvas (or `size` = [width, height]), then NCHW planes: `bgr` picks the channel
 * order, `scale` multiplies.
 */
function planes(size, draw, { bgr, scale }, out, offset = 0) {
  const [width, height] = Array.isArray(size) ? size : [size, size];
  const plane = width * height;
  out ??= new Float32Array(3 * plane);
  const ctx = canvas(width, height);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, width, height);
  draw(ctx);
  const { data } = ctx.getImageData(0, 0, width, height);
  const [r, b] = bgr ? [2, 0] : [0, 2];
  for (let i = 0; i < plane; i++) {
    out[offset + i] = data[4 * i + r] * scale;
    out[offset + plane + i] = data[4 * i + 1] * scale;
    out[offset + 2 * plane + i] = data[4 * i + b] * scale;
  }
  return out;
}

/** A square ROI (centre, side, rotation) resampled to size², the crop's x mirrored when asked. */
function cropRoi(source, roi, size, mirror, layout, out, offset) {
  return planes(size, (ctx) => {
    ctx.translate(size / 2, size / 2);
    ctx.scale((mirror ? -size : size) / roi.side, size / roi.side);
    ctx.rotate(-roi.rotation);
    ctx.translate(-roi.cx, -roi.cy);
    ctx.drawImage(source, 0, 0);
  }, layout, out, offset);
}

function iou(a, b) {
  const ix = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const iy = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  const inter = Math.max(ix, 0) * Math.max(iy, 0);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}

/** YuNet's per-stride outputs → faces in image pixels, best first (crates/detect's decode + NMS). */
function decodeYunet(out, scale, width) {
  const candidates = [];
  for (const stride of [8, 16, 32]) {
    const cls = out[`cls_${stride}`], obj = out[`obj_${stride}`], bbox = out[`bbox_${stride}`], kps = out[`kps_${stride}`];
    const cols = width / stride;
    for (let i = 0; i < cls.length; i++) {
      const score = Math.sqrt(Math.min(Math.max(cls[i], 0), 1) * Math.min(Math.max(obj[i], 0), 1));
      if (score < SCORE_THRESHOLD) continue;
      const gx = i % cols, gy = Math.floor(i / cols);
      const cx = (gx + bbox[4 * i]) * stride, cy = (gy + bbox[4 * i + 1]) * stride;
      const w = Math.exp(bbox[4 * i + 2]) * stride, h = Math.exp(bbox[4 * i + 3]) * stride;
      const landmarks = [0, 1, 2, 3, 4].map((k) => [(gx + kps[10 * i + 2 * k]) * stride / scale, (gy + kps[10 * i + 2 * k + 1]) * stride / scale]);
      candidates.push({ score, bbox: [(cx - w / 2) / scale, (cy - h / 2) / scale, w / scale, h / scale], landmarks });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  const faces = [];
  for (const c of candidates) if (faces.every((f) => iou(f.bbox, c.bbox) <= NMS_IOU)) faces.push(c);
  return faces;
}

/** Silent-Face-Anti-Spoofing CropImage._get_new_box: the box scaled about its centre, shifted inside. */
function spoofBox(width, height, [x, y, w, h], s) {
  const scale = Math.min((height - 1) / h, (width - 1) / w, s);
  const nw = w * scale, nh = h * scale;
  let l = x + w / 2 - nw / 2, t = y + h / 2 - nh / 2, r = x + w / 2 + nw / 2, b = y + h / 2 + nh / 2;
  if (l < 0) { r -= l; l = 0; }
  if (t < 0) { b -= t; t = 0; }
  if (r > width - 1) { l -= r - width + 1; r = width - 1; }
  if (b > height - 1) { t -= b - height + 1; b = height - 1; }
  return [Math.trunc(l), Math.trunc(t), Math.trunc(r), Math.trunc(b)];
}

function softmax(logits) {
  const max = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Least-squares similarity chip → image from the template to the 5 points (crates/embed align.rs). */
function chipTransform(points) {
  const mean = (ps) => ps.reduce((m, p) => [m[0] + p[0] / ps.length, m[1] + p[1] / ps.length], [0, 0]);
  const ms = mean(CHIP_TEMPLATE), md = mean(points);
  let norm = 0, a = 0, b = 0;
  CHIP_TEMPLATE.forEach((p, i) => {
    const sx = p[0] - ms[0], sy = p[1] - ms[1], dx = points[i][0] - md[0], dy = points[i][1] - md[1];
    norm += sx * sx + sy * sy;
    a += sx * dx + sy * dy;
    b += sx * dy - sy * dx;
  });
  a /= norm; b /= norm;
  return { a, b, tx: md[0] - (a * ms[0] - b * ms[1]), ty: md[1] - (b * ms[0] + a * ms[1]) };
}

export function largest(faces) {
  return faces.reduce((best, f) => (!best || f.bbox[2] * f.bbox[3] > best.bbox[2] * best.bbox[3] ? f : best), null);
}

/**
 * One frame through the loop. Resolves to {stages: {detect, mesh, iris, antispoof} ms (each: its crops,
 * network and decoding), faces, mesh (468 image points), eyes, softmax: {v2, v1se}}.
 */
export async function livenessFrame(run, source, Tensor) {
  const stages = {};
  let t = performance.now();
  const lap = (name) => { const now = performance.now(); stages[name] = now - t; t = now; };

  // YuNet input: fitted to 640, top-left on a canvas padded up to multiples of 32, BGR 0..255, as crates/detect does.
  const scale = Math.min(640 / source.width, 640 / source.height);
  const [contentWidth, contentHeight] = [Math.round(source.width * scale), Math.round(source.height * scale)];
  const [width, height] = [Math.ceil(contentWidth / 32) * 32, Math.ceil(contentHeight / 32) * 32];
  const letterbox = planes([width, height], (ctx) => ctx.drawImage(source, 0, 0, contentWidth, contentHeight), { bgr: true, scale: 1 });
  const det = await run('yunet', { input: new Tensor('float32', letterbox, [1, 3, height, width]) });
  const faces = decodeYunet(det, scale, width);
  lap('detect');
  const face = largest(faces);
  if (!face) return { stages, faces };

  const [[rx, ry], [lx, ly]] = face.landmarks;
  const [x, y, w, h] = face.bbox;
  const roi = { cx: x + w / 2, cy: y + h / 2, side: Math.max(w, h) * MESH_ROI_SCALE, rotation: -Math.atan2(-(ly - ry), lx - rx) };
  const meshOut = await run('facemesh', { input_1: new Tensor('float32', cropRoi(source, roi, MESH_SIZE, false, { bgr: false, scale: 1 / 255 }), [1, 3, MESH_SIZE, MESH_SIZE]) });
  const raw = meshOut.conv2d_20;
  const c = Math.cos(roi.rotation), s = Math.sin(roi.rotation);
  const mesh = [];
  for (let i = 0; i < 468; i++) {
    const u = raw[3 * i] / MESH_SIZE - 0.5, v = raw[3 * i + 1] / MESH_SIZE - 0.5;
    mesh.push([roi.cx + roi.side * (u * c - v * s), roi.cy + roi.side * (u * s + v * c), raw[3 * i + 2] / MESH_SIZE * roi.side]);
  }
  lap('mesh');

  const eyeInput = new Float32Array(2 * 3 * EYE_SIZE * EYE_SIZE);
  EYES.forEach(([a, b, mirror], k) => {
    const [x0, y0] = mesh[a], [x1, y1] = mesh[b];
    const eye = { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, side: Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) * EYE_ROI_SCALE, rotation: -Math.atan2(-(y1 - y0), x1 - x0) };
    cropRoi(source, eye, EYE_SIZE, mirror, { bgr: false, scale: 1 / 255 }, eyeInput, k * 3 * EYE_SIZE * EYE_SIZE);
  });
  const eyes = await run('iris', { input_1: new Tensor('float32', eyeInput, [2, 3, EYE_SIZE, EYE_SIZE]) });
  lap('iris');

  const softmaxes = {};
  for (const [name, factor] of [['minifasnet_v2', 2.7], ['minifasnet_v1se', 4.0]]) {
    const [l, tp, r, b] = spoofBox(source.width, source.height, face.bbox, factor);
    const input = planes(SPOOF_SIZE, (ctx) => ctx.drawImage(source, l, tp, r - l + 1, b - tp + 1, 0, 0, SPOOF_SIZE, SPOOF_SIZE), { bgr: true, scale: 1 });
    softmaxes[name] = softmax((await run(name, { input: new Tensor('float32', input, [1, 3, SPOOF_SIZE, SPOOF_SIZE]) })).output);
  }
  lap('antispoof');
  return { stages, faces, face, mesh, iris: eyes.output_iris, softmax: softmaxes };
}

/** The dlib embedding of `face`: the 150² aligned RGB chip (0..255) and the network. */
export async function embed(run, source, face, Tensor) {
  const { a, b, tx, ty } = chipTransform(face.landmarks);
  // Canvas wants image → chip: the inverse of chip → image [[a, -b], [b, a]] + t.
  const det = a * a + b * b;
  const input = planes(CHIP, (ctx) => {
    ctx.setTransform(a / det, -b / det, b / det, a / det, -(a * tx + b * ty) / det, (b * tx - a * ty) / det);
    ctx.drawImage(source, 0, 0);
  }, { bgr: false, scale: 1 });
  return (await run('dlib_resnet', { chips: new Tensor('float32', input, [1, 3, CHIP, CHIP]) })).embedding;
}

/** Whether a loop result is sane: most mesh points inside the (enlarged) face box, softmaxes that sum to 1. */
export function sanity(result) {
  if (!result.face) return 'no face';
  const [x, y, w, h] = result.face.bbox;
  const inside = result.mesh.filter(([px, py]) => px > x - 0.2 * w && px < x + 1.2 * w && py > y - 0.3 * h && py < y + 1.2 * h).length;
  if (inside < 0.9 * result.mesh.length) return `only ${inside}/468 mesh points on the face`;
  for (const [name, p] of Object.entries(result.softmax)) {
    if (!p.every(Number.isFinite) || Math.abs(p.reduce((s, v) => s + v, 0) - 1) > 1e-4) return `${name}: not a softmax`;
  }
  return null;
}
