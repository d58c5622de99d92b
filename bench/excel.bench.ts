// Import and export throughput for 10,000 projects (+ partners, evaluations), each beside raw exceljs doing the same cells.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { defaultSettings, sheetSpec, type RegistryData } from '../core/index.js';
import { ARCHIVE_SHEETS } from '../sync/src/excel/archive.js';
import { exportArchive } from '../sync/src/ops/export.js';
import { importFiles } from '../sync/src/ops/import.js';
import { XlsxRegistryStore } from '../sync/src/stores/xlsx-store.js';
import { randomRegistry } from '../tests/excel/random-registry.js';
import { measure } from './measure.js';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 10_000);
const PARTNERS = Math.ceil(PROJECTS / 5);
const NOW = new Date('2026-11-24T02:00:00Z');

function line(label: string, rows: number, m: { ms: number; peakMb: number }, base?: { ms: number }): string {
  const ratio = base ? `  ×${(m.ms / base.ms).toFixed(2)} of raw exceljs` : '';
  return `${label.padEnd(38)} ${(m.ms / 1000).toFixed(2).padStart(7)} s  ${Math.round(rows / (m.ms / 1000))
    .toString()
    .padStart(7)} rows/s  peak RSS ${Math.round(m.peakMb)} MB${ratio}`;
}

/** The same cells written by exceljs with no schema, validation, styling or statistics. */
async function rawWrite(data: RegistryData, path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const key of ARCHIVE_SHEETS) {
    const sheet = sheetSpec(key);
    const ws = wb.addWorksheet(sheet.name);
    ws.addRow(sheet.columns.map((c) => c.header));
    for (const row of data[key]) ws.addRow(sheet.columns.map((c) => row.cells[c.key] ?? null));
  }
  await wb.xlsx.writeFile(path);
}

async function rawRead(path: string): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  let cells = 0;
  for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell(() => void cells++));
  return cells;
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'coop-bench-excel-'));
  const data = randomRegistry(42, { partners: PARTNERS, projects: PROJECTS });
  const rows = ARCHIVE_SHEETS.reduce((n, k) => n + data[k].length, 0);
  const source = join(dir, 'source.xlsx');
  const store = new XlsxRegistryStore(source);
  await store.create(defaultSettings());
  await store.update((d) => {
    Object.assign(d, data);
    return { result: undefined, write: true };
  });
  console.log(`${PROJECTS} projects, ${PARTNERS} partners, ${data.evaluations.length} evaluations, ${data.outcomes.length} outcomes: ${rows} rows`);

  const raw = await measure(() => rawWrite(data, join(dir, 'raw.xlsx')));
  console.log(line('raw exceljs write (same cells)', rows, raw));
  const archive = join(dir, 'archive.xlsx');
  const exported = await measure(() => exportArchive(source, archive, NOW, {}));
  console.log(line('coop export', rows, exported, raw));

  const rawIn = await measure(() => rawRead(archive));
  console.log(line('raw exceljs read (same file)', rows, rawIn));
  const target = join(dir, 'target.xlsx');
  await new XlsxRegistryStore(target).create(defaultSettings());
  // What an import cannot avoid with exceljs: read the file, read the registry, write the registry with the rows.
  const floor = await measure(async () => {
    await rawRead(archive);
    await rawRead(target);
    await rawWrite(data, join(dir, 'raw-registry.xlsx'));
  });
  console.log(line('raw exceljs read file+registry, write', rows, floor));
  const imported = await measure(() => importFiles({ files: [archive], registry: target, now: NOW }));
  const c = imported.result.counts;
  console.log(line('coop import (into empty registry)', rows, imported, rawIn));
  console.log(`  ×${(imported.ms / floor.ms).toFixed(2)} of raw exceljs doing the same file reads and write`);
  console.log(`  → 新增 ${c.inserted} · 更新 ${c.updated} · 未变 ${c.unchanged} · 拒绝 ${c.rejected}`);
  const again = await measure(() => importFiles({ files: [archive], registry: target, now: NOW }));
  console.log(line('coop import (again, all unchanged)', rows, again, rawIn));
}
