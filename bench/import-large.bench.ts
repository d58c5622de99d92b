// `coop import` of large registers (BENCH_LARGE_ROWS: one size, or a list such as 25000,50000,100000) as subprocesses:
// wall time and the child's peak RSS per size, beside exceljs's streaming read of the same file, and the growth per size.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { STREAM_THRESHOLD_BYTES } from '../sync/src/excel/import-reader.js';
import { createRegistry } from '../sync/src/ops/registry-ops.js';
import { writeLargeRegister } from '../tests/excel/large-file.js';
import { freshProcess, type ProcessMeasure } from './measure.js';

const COOP = resolve('dist/sync/coop.js');
const SIZES = (process.env.BENCH_LARGE_ROWS ?? '100000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);

type Measure = ProcessMeasure;
const child = (args: string[], cwd: string): Measure => freshProcess(args, { cwd });

function line(label: string, rows: number, m: Measure): string {
  return `  ${label.padEnd(46)} ${(m.ms / 1000).toFixed(2).padStart(7)} s  ${Math.round(rows / (m.ms / 1000))
    .toString()
    .padStart(6)} rows/s  peak RSS ${Math.round(m.peakMb).toString().padStart(5)} MiB  (exit ${m.code})`;
}

/** The floor: exceljs's streaming reader over the same file, every row visited, nothing kept (what the import reads with). */
const STREAM_READ = `import ExcelJS from 'exceljs';
const r = new ExcelJS.stream.xlsx.WorkbookReader(process.argv[1], { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
let n = 0; for await (const ws of r) for await (const row of ws) n += row.cellCount > 0 ? 1 : 0;`;

export default async function bench(): Promise<void> {
  const largest = Math.max(...SIZES);
  // The import refuses more than LIMITS.rows rows by default; the benchmark measures beyond it on purpose.
  process.env.COOP_IMPORT_MAX_ROWS ??= String(largest);
  process.env.COOP_IMPORT_MAX_BYTES ??= String(2 ** 30);
  const results: { rows: number; run: Measure; dry: Measure; floor: Measure }[] = [];
  for (const rows of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'coop-bench-large-'));
    const file = join(dir, 'large.xlsx');
    const t0 = performance.now();
    const { partners, projects } = await writeLargeRegister(file, rows);
    console.log(
      `${rows} rows (${partners} partners, ${projects} projects), ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB .xlsx written by exceljs's streaming writer in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const registry = join(dir, 'registry.xlsx');
    await createRegistry(registry);
    await createRegistry(join(dir, 'registry-dry.xlsx'));
    const run = child([COOP, 'import', file, '--registry', registry, '--rejects', join(dir, 'rejects.xlsx')], dir);
    const how = statSync(file).size > STREAM_THRESHOLD_BYTES ? 'streamed' : 'loaded whole: below the streaming threshold';
    console.log(line(`coop import (${how}, into a fresh registry)`, rows, run));
    const summary = run.stdout.split('\n').find((l) => l.includes('新增')) ?? run.stderr.trim().split('\n').at(-1);
    console.log(`    → ${summary?.trim()}`);
    // The same read and merge without writing the registry.
    const dry = child([COOP, 'import', file, '--registry', join(dir, 'registry-dry.xlsx'), '--dry-run'], dir);
    console.log(line('coop import --dry-run (read + merge, no write)', rows, dry));
    const floor = child(['--input-type=module', '-e', STREAM_READ, file], resolve('.'));
    console.log(line('baseline: exceljs streaming read (same file)', rows, floor));
    console.log(`    import ×${(run.ms / floor.ms).toFixed(2)} the streaming read in time, ×${(run.peakMb / floor.peakMb).toFixed(2)} in peak RSS`);
    results.push({ rows, run, dry, floor });
    rmSync(dir, { recursive: true, force: true });
  }
  if (results.length < 2) return;
  console.log('growth of coop import from the smallest size (time, peak RSS; the streaming read beside it):');
  const [first] = results;
  for (const r of results.slice(1)) {
    console.log(
      `  ${first!.rows} → ${r.rows} rows (×${(r.rows / first!.rows).toFixed(1)}): time ×${(r.run.ms / first!.run.ms).toFixed(2)}, peak RSS ×${(r.run.peakMb / first!.run.peakMb).toFixed(2)} (+${Math.round(r.run.peakMb - first!.run.peakMb)} MiB); streaming read: peak RSS ×${(r.floor.peakMb / first!.floor.peakMb).toFixed(2)}`,
    );
  }
}
