// Reading one register in every format `coop import` accepts: wall time and peak RSS per reader, each in its own process (BENCH_FORMAT_ROWS rows).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { normalizePackage } from '../sync/src/excel/package-parts.js';
import { writeLargeRegister } from '../tests/excel/large-file.js';

const ROWS = Number(process.env.BENCH_FORMAT_ROWS ?? 5_000);

/** Runs an ES module snippet (with tsx, so it may import the project's .ts) and reports wall time and the child's peak RSS. */
function child(code: string): { ms: number; peakMiB: number; out: string } {
  // Sampled RSS: getrusage's maxRSS survives exec on Linux, so a child would report this (larger) process's peak.
  const hook = `let m=0;const s=()=>{m=Math.max(m,process.memoryUsage().rss)};setInterval(s,5).unref();process.on('exit',()=>{s();process.stderr.write('\\n@@'+JSON.stringify({rss:m/1024}))});`;
  const start = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(hook)}`, '--input-type=module', '-e', code],
    {
      cwd: resolve('.'),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const marker = r.stderr.lastIndexOf('@@');
  const rss = marker < 0 ? 0 : (JSON.parse(r.stderr.slice(marker + 2)) as { rss: number }).rss;
  if (r.status !== 0) return { ms, peakMiB: rss / 1024, out: `failed: ${r.stderr.slice(0, 300)}` };
  return { ms, peakMiB: rss / 1024, out: r.stdout.trim() };
}

function readerRun(file: string, stream?: boolean): string {
  const options = stream === undefined ? '{}' : `{ stream: ${stream} }`;
  return `import { readImportFile } from './sync/src/excel/import-reader.ts';
import { defaultSettings } from './core/index.ts';
const r = await readImportFile(${JSON.stringify(file)}, defaultSettings(), ${options});
console.log(r.sheets.map((s) => s.sheetName + ' ' + s.rows.length).join(', '));`;
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'coop-bench-formats-'));
  const xlsx = join(dir, 'register.xlsx');
  await writeLargeRegister(xlsx, ROWS);
  // The other formats, written by SheetJS from the same workbook (LibreOffice writes them in the tests).
  const book = XLSX.read(readFileSync(xlsx), { type: 'buffer', cellDates: true });
  const xls = join(dir, 'register.xls');
  const ods = join(dir, 'register.ods');
  const csv = join(dir, 'register.csv');
  writeFileSync(xls, XLSX.write(book, { type: 'buffer', bookType: 'biff8' }));
  writeFileSync(ods, XLSX.write(book, { type: 'buffer', bookType: 'ods' }));
  writeFileSync(csv, XLSX.utils.sheet_to_csv(book.Sheets[book.SheetNames[1]!]!));
  // What normalising costs on a package that needs it: the register re-saved as openpyxl names its parts.
  const JSZip = (await import('jszip')).default;
  const zip = await JSZip.loadAsync(readFileSync(xlsx));
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  zip.file('xl/_rels/workbook.xml.rels', rels.replace(/Target="(?!\/)/g, 'Target="/xl/'));
  const absolute = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  const t0 = performance.now();
  await normalizePackage(absolute);
  const normaliseMs = performance.now() - t0;
  const t1 = performance.now();
  await normalizePackage(readFileSync(xlsx));
  const checkMs = performance.now() - t1;

  const size = (f: string) => `${(statSync(f).size / 2 ** 20).toFixed(1)} MiB`;
  console.log(`${ROWS} rows; .xlsx ${size(xlsx)}, .xls ${size(xls)}, .ods ${size(ods)}, .csv ${size(csv)} (projects sheet only)`);
  const rows: [string, string][] = [
    ['.xlsx  exceljs, loaded (normalised package)', readerRun(xlsx, false)],
    ['.xlsx  exceljs, streamed (normalised package)', readerRun(xlsx, true)],
    ['.xls   SheetJS (@e965/xlsx) → exceljs model', readerRun(xls)],
    ['.ods   SheetJS (@e965/xlsx) → exceljs model', readerRun(ods)],
    ['.csv   SheetJS, raw text → exceljs model', readerRun(csv)],
    [
      '.xlsx  SheetJS alone, parse only (for scale)',
      `import * as XLSX from '@e965/xlsx'; import { readFileSync } from 'node:fs'; const b = XLSX.read(readFileSync(${JSON.stringify(xlsx)}), { type: 'buffer', dense: true }); console.log(b.SheetNames.join(', '));`,
    ],
    [
      '.xlsx  exceljs alone, load only (for scale)',
      `import ExcelJS from 'exceljs'; const wb = new ExcelJS.Workbook(); await wb.xlsx.readFile(${JSON.stringify(xlsx)}); console.log(wb.worksheets.length + ' sheets');`,
    ],
  ];
  for (const [label, code] of rows) {
    const m = child(code);
    console.log(`${label.padEnd(48)} ${(m.ms / 1000).toFixed(2).padStart(6)} s  peak RSS ${String(Math.round(m.peakMiB)).padStart(4)} MiB  → ${m.out}`);
  }
  console.log(
    `normalizePackage, in process: ${normaliseMs.toFixed(0)} ms rewriting absolute targets; ${checkMs.toFixed(0)} ms checking a package that needs nothing`,
  );
}
