// Shared by the benchmark pages: the same letterbox for every runtime, and robust statistics.
export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

export async function loadBitmap(url) {
  const blob = await (await fetch(url)).blob();
  return createImageBitmap(blob, { imageOrientation: 'from-image' });
}

/** YuNet input: 640×640 letterbox (top-left), BGR planes, 0..255, as crates/detect does. */
export function letterboxBgr(bitmap, size = 640) {
  const scale = Math.min(size / bitmap.width, size / bitmap.height);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, size, size);
  ctx.drawImage(bitmap, 0, 0, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  const { data } = ctx.getImageData(0, 0, size, size);
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i] = data[4 * i + 2];
    out[plane + i] = data[4 * i + 1];
    out[2 * plane + i] = data[4 * i];
  }
  return out;
}

export async function time(fn, { warmup, iterations }) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return stats(samples);
}
