// Shared by the benchmark pages: robust statistics, timing and the main-thread watch.
export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  // The mean is what a cadence costs per frame (e.g. the detector on 1 frame in 3); the median hides it.
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(sorted.length, 1);
  return { median, mean, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

export async function loadBitmap(url) {
  const blob = await (await fetch(url)).blob();
  return createImageBitmap(blob, { imageOrientation: 'from-image' });
}

/**
 * Runs `fn` `warmup` times, then `iterations` timed times: the stats of the wall times, with `values` (not
 * enumerable) the timed calls' results. With `watch` (mainThreadWatch) the main-thread window opens at the first timed call
 * and `fn` keeps running (untimed) until `windowMs` have passed.
 */
export async function time(fn, { warmup, iterations, watch, windowMs = 0 }) {
  // Each frame starts in its own task, as a camera callback would: otherwise a runtime whose promises all
  // resolve at once would chain every frame into one task.
  const frame = async () => { await new Promise((resolve) => setTimeout(resolve, 0)); return fn(); };
  for (let i = 0; i < warmup; i++) await frame();
  watch?.start();
  const samples = [];
  const values = [];
  for (let i = 0; i < iterations; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const started = performance.now();
    values.push(await fn());
    samples.push(performance.now() - started);
  }
  while (watch && watch.elapsed() < windowMs) await frame();
  watch?.stop();
  // Not enumerable: the figure serialises without the per-call results.
  return Object.defineProperty(stats(samples), 'values', { value: values });
}

/** Per-stage stats from per-frame {stage: ms} records. */
export function stageStats(records) {
  const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(names.map((n) => [n, stats(records.map((r) => r[n]).filter(Number.isFinite))]));
}

/**
 * The page's main-thread long tasks (≥ 50 ms, the Long Tasks API's threshold) inside a window: the
 * longest and how many. Work in a worker never shows up here, which is the point of the comparison.
 */
export function mainThreadWatch() {
  const entries = [];
  new PerformanceObserver((list) => entries.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
  let from = null;
  let to = null;
  return {
    start() { from = performance.now(); },
    stop() { to = performance.now(); },
    elapsed() { return performance.now() - from; },
    report() {
      const inside = entries.filter((e) => e.startTime + e.duration > from && e.startTime < to);
      return { maxMs: Math.max(0, ...inside.map((e) => e.duration)), count: inside.length, windowMs: to - from };
    },
  };
}
