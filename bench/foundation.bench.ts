// Foundation figures: validate throughput and peak memory on a 10,000-project registry; `coop --help` cold start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateRegistry } from '../core/index.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../sync/src/demo/sample-data.js';
import { addRecords } from '../sync/src/ops/records.js';
import { createRegistry } from '../sync/src/ops/registry-ops.js';
import { XlsxRegistryStore } from '../sync/src/stores/xlsx-store.js';

const COOP = resolve('dist/sync/coop.js');
const PROJECTS = 10_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs node on a script and returns wall time (ms) and the child's peak RSS (MiB). */
function timed(args: string[]): { ms: number; peakMiB: number; stdout: string } {
  const wrapper = `const t=process.hrtime.bigint();process.on('exit',()=>{process.stderr.write('\\n@@'+JSON.stringify({ms:Number(process.hrtime.bigint()-t)/1e6,rss:process.resourceUsage().maxRSS}))});`;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(wrapper)}`, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const marker = r.stderr.lastIndexOf('@@');
  if (marker < 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  const stats = JSON.parse(r.stderr.slice(marker + 2)) as { rss?: number };
  return { ms: wall, peakMiB: (stats.rss ?? 0) / 1024, stdout: r.stdout };
}

export default async function foundationBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'coop-bench-'));
  const path = join(dir, 'registry.xlsx');
  await createRegistry(path);
  const store = new XlsxRegistryStore(path);
  const now = new Date('2026-11-24T02:00:00Z');
  const t0 = performance.now();
  await store.update((data) => {
    const projects = Array.from({ length: PROJECTS }, (_, i) => ({ ...SAMPLE_PROJECTS[i % SAMPLE_PROJECTS.length]!, title: `样例项目 ${i + 1}` }));
    const extra = Array.from({ length: 500 }, (_, i) => ({ ...SAMPLE_PARTNERS[4]!, name: `样例境外合作机构 ${i + 1}` }));
    const partners = [...SAMPLE_PARTNERS, ...extra];
    addRecords(data, partners, projects, now);
    return { result: undefined, write: true };
  });
  console.log(`write a ${PROJECTS}-project registry: ${((performance.now() - t0) / 1000).toFixed(2)} s`);

  const runs = [1, 2, 3].map(() => timed([COOP, 'validate', '--registry', path]));
  const rows = Number(/共检查 (\d+) 行/.exec(runs[0]!.stdout)?.[1] ?? 0);
  const verdict = runs[0]!.stdout.trim().split('\n').at(-1);
  const ms = median(runs.map((r) => r.ms));
  console.log(
    `coop validate (${rows} rows, whole process incl. reading the .xlsx): ${(ms / 1000).toFixed(2)} s median of 3 → ${Math.round(rows / (ms / 1000))} rows/s, peak RSS ${median(runs.map((r) => r.peakMiB)).toFixed(0)} MiB (${verdict})`,
  );

  const readStart = performance.now();
  const data = await store.read();
  const readMs = performance.now() - readStart;
  const validateStart = performance.now();
  const report = validateRegistry(data);
  const validateMs = performance.now() - validateStart;
  console.log(
    `  of which reading the .xlsx (exceljs): ${(readMs / 1000).toFixed(2)} s; core rules alone: ${Math.round(report.rowsChecked / (validateMs / 1000))} rows/s`,
  );

  const help = Array.from({ length: 10 }, () => timed([COOP, '--help']));
  console.log(
    `coop --help cold start: ${median(help.map((r) => r.ms)).toFixed(0)} ms median of 10 (target < 300 ms), peak RSS ${median(help.map((r) => r.peakMiB)).toFixed(0)} MiB`,
  );
}
