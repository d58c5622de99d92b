// One helper for every bench that times a step in-process: wall time and peak resident memory, after a GC.

/** Wall time and peak RSS of one step (RSS sampled every `sampleMs`, after a GC). */
export async function measure<T>(work: () => Promise<T>, sampleMs = 5): Promise<{ ms: number; peakMb: number; result: T }> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), sampleMs);
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakMb: peak / 2 ** 20, result };
}
