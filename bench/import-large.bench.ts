// `coop import` of one 100,000-row register (BENCH_LARGE_ROWS) as a subprocess: wall time and the child's peak RSS, streamed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { STREAM_THRESHOLD_BYTES } from '../sync/src/excel/import-reader.js';
import { createRegistry } from '../sync/src/ops/registry-ops.js';
import { writeLargeRegister } from '../tests/excel/large-file.js';

const COOP = resolve('dist/sync/coop.js');
const ROWS = Number(process.env.BENCH_LARGE_ROWS ?? 100_000);

/** Runs node with a hook that reports the child's own peak RSS on exit; returns wall time, peak RSS (MiB), output. */
function child(args: string[], cwd: string): { ms: number; peakMiB: number; code: number | null; stdout: string; stderr: string } {
  const hook = `process.on('exit',()=>{process.stderr.write('\\n@@'+JSON.stringify({rss:process.resourceUsage().maxRSS}))});`;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const marker = r.stderr.lastIndexOf('@@');
  const rss = marker < 0 ? 0 : (JSON.parse(r.stderr.slice(marker + 2)) as { rss: number }).rss;
  return { ms, peakMiB: rss / 1024, code: r.status, stdout: r.stdout, stderr: marker < 0 ? r.stderr : r.stderr.slice(0, marker) };
}

function line(label: string, m: { ms: number; peakMiB: number; code: number | null }): string {
  return `${label.padEnd(44)} ${(m.ms / 1000).toFixed(2).padStart(7)} s  ${Math.round(ROWS / (m.ms / 1000))
    .toString()
    .padStart(6)} rows/s  peak RSS ${Math.round(m.peakMiB)} MiB  (exit ${m.code})`;
}

export default async function bench(): Promise<void> {
  // The import refuses more than LIMITS.rows rows by default; the benchmark measures beyond it on purpose.
  process.env.COOP_IMPORT_MAX_ROWS ??= String(ROWS);
  process.env.COOP_IMPORT_MAX_BYTES ??= String(2 ** 30);
  const dir = mkdtempSync(join(tmpdir(), 'coop-bench-large-'));
  const file = join(dir, 'large.xlsx');
  const t0 = performance.now();
  const { partners, projects } = await writeLargeRegister(file, ROWS);
  console.log(
    `${ROWS} rows (${partners} partners, ${projects} projects), ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB .xlsx written by exceljs's streaming writer in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const registry = join(dir, 'registry.xlsx');
  await createRegistry(registry);
  await createRegistry(join(dir, 'registry-dry.xlsx'));
  const run = child([COOP, 'import', file, '--registry', registry, '--rejects', join(dir, 'rejects.xlsx')], dir);
  const how = statSync(file).size > STREAM_THRESHOLD_BYTES ? 'streamed' : 'loaded whole: below the streaming threshold';
  console.log(line(`coop import (${how}, into a fresh registry)`, run));
  const summary = run.stdout.split('\n').find((l) => l.includes('新增')) ?? run.stderr.trim().split('\n').at(-1);
  console.log(`  → ${summary?.trim()}`);

  // The same read and merge without writing the registry: what the streamed reading costs, apart from XlsxRegistryStore's write.
  const dry = child([COOP, 'import', file, '--registry', join(dir, 'registry-dry.xlsx'), '--dry-run'], dir);
  console.log(line('coop import --dry-run (read + merge, no write)', dry));

  // For scale: exceljs loading the same file whole, which is what the import did before streaming.
  const whole = `import ExcelJS from 'exceljs'; const wb = new ExcelJS.Workbook(); await wb.xlsx.readFile(${JSON.stringify(file)});`;
  const raw = child(['--input-type=module', '-e', whole], resolve('.'));
  console.log(line('raw exceljs Workbook.xlsx.readFile (same file)', raw));
}
