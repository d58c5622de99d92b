// How every bench times a step: in-process (wall time and peak resident memory, after a GC) or as a fresh node process.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

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

/** Reports the process's own peak RSS (kB) on stderr as it exits, whatever way it exits. */
const PEAK_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { readFileSync, writeSync } from 'node:fs'; process.on('exit', () => { let kb = process.resourceUsage().maxRSS; try { kb = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]); } catch {} writeSync(2, '\\n@@PEAK_RSS_KB ' + kb + '\\n'); });",
)}`;

export interface ProcessMeasure {
  ms: number;
  peakMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * One fresh `node` process, as people run coop: wall time, its own peak RSS (MiB) and what it printed. The peak is VmHWM
 * of /proc/self/status where there is one: getrusage's maxRSS of a child can carry the parent's peak over fork and exec
 * on Linux, and the benches spawn right after building large files in-process.
 */
export function freshProcess(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): ProcessMeasure {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', PEAK_HOOK, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const ms = performance.now() - start;
  const marker = r.stderr.lastIndexOf('\n@@PEAK_RSS_KB ');
  const kb = marker < 0 ? 0 : Number(r.stderr.slice(marker + 15).trim());
  return { ms, peakMb: kb / 1024, code: r.status, stdout: r.stdout, stderr: marker < 0 ? r.stderr : r.stderr.slice(0, marker) };
}

/** A fresh process that must succeed: its wall time and peak RSS. */
export function timedRun(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): { ms: number; peakMb: number } {
  const m = freshProcess(args, options);
  if (m.code !== 0 || !m.peakMb) throw new Error(`bench step failed (${m.code}): ${m.stderr.slice(0, 2000)}`);
  return { ms: m.ms, peakMb: m.peakMb };
}

/** Median time and the largest peak of several runs. */
export function medianOf(runs: readonly { ms: number; peakMb: number }[]): { ms: number; peakMb: number } {
  const times = runs.map((m) => m.ms).sort((a, b) => a - b);
  return { ms: times[Math.floor(runs.length / 2)]!, peakMb: Math.max(...runs.map((m) => m.peakMb)) };
}

/**
 * Flushes what earlier steps left dirty in the page cache (`sync`) before a timed series: otherwise the kernel writes
 * back a just-copied registry or a baseline's output while the series runs, and the series pays for it.
 */
export function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}
