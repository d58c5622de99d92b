// Which library reads and writes the local registry (issue 16): one "tick" — a cell of 合作项目 changed and a row
// appended to 审批记录 — done by exceljs (whole model), exceljs streaming (read → write), SheetJS (@e965/xlsx, the
// maintained npm mirror), a jszip re-zip and coop's own change-only part patch, each in a fresh process on the same
// registry: wall time, peak RSS, and what the written file kept of the original (parts byte for byte, data
// validations, cell comments, styles) and whether coop still reads it.
// Sizes: BENCH_LIB_SIZES (default "5000").
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateEntry, readZip } from '../sync/src/excel/zip-parts.js';
import { XlsxRegistryStore } from '../sync/src/stores/xlsx-store.js';
import { SAMPLE_APPROVERS } from '../sync/src/demo/sample-data.js';
import { medianOf, timedRun } from './measure.js';
import { makeRegistry } from './registry-io.bench.js';

const SIZES = (process.env.BENCH_LIB_SIZES ?? '5000').split(',').map(Number);
const RUNS = 3;
const COOP = new URL('../dist/sync/coop.js', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

/** The same change in every library: 合作项目!B2 gets new text, 审批记录 gets one more row. */
const EXCELJS_FULL = `
import { readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
const [src, out] = process.argv.slice(1);
const wb = new ExcelJS.Workbook();
await wb.xlsx.load(readFileSync(src));
wb.getWorksheet('合作项目').getCell('B2').value = '改名的项目';
wb.getWorksheet('审批记录').addRow(['2026-11-24 10:00:00', 'HZ2026-001', '招就处', '审查通过', 'bench@example.edu.cn']);
writeFileSync(out, Buffer.from(await wb.xlsx.writeBuffer()));
`;

const EXCELJS_STREAM = `
import ExcelJS from 'exceljs';
const [src, out] = process.argv.slice(1);
const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: true, useStyles: true });
const reader = new ExcelJS.stream.xlsx.WorkbookReader(src, { sharedStrings: 'cache', worksheets: 'emit', styles: 'cache', hyperlinks: 'cache' });
for await (const ws of reader) {
  const name = ws.name;
  const target = writer.addWorksheet(name);
  for await (const row of ws) {
    const values = row.values;
    if (name === '合作项目' && row.number === 2) values[2] = '改名的项目';
    target.getRow(row.number).values = values;
    target.getRow(row.number).commit();
  }
  if (name === '审批记录') target.addRow(['2026-11-24 10:00:00', 'HZ2026-001', '招就处', '审查通过', 'bench@example.edu.cn']).commit();
  target.commit();
}
await writer.commit();
`;

const SHEETJS = `
import { readFileSync, writeFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
const [src, out] = process.argv.slice(1);
const wb = XLSX.read(readFileSync(src), { type: 'buffer', cellStyles: true, cellNF: true });
XLSX.utils.sheet_add_aoa(wb.Sheets['合作项目'], [['改名的项目']], { origin: 'B2' });
XLSX.utils.sheet_add_aoa(wb.Sheets['审批记录'], [['2026-11-24 10:00:00', 'HZ2026-001', '招就处', '审查通过', 'bench@example.edu.cn']], { origin: -1 });
writeFileSync(out, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true, cellStyles: true }));
`;

/** The zip-patch baseline: every part re-zipped, the two sheets put back as they were (no real change made). */
const JSZIP = `
import { readFileSync, writeFileSync } from 'node:fs';
import JSZip from 'jszip';
const [src, out] = process.argv.slice(1);
const zip = await JSZip.loadAsync(readFileSync(src));
for (const part of ['xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml']) zip.file(part, await zip.file(part).async('string'));
writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
`;

const run = (args: string[]) => timedRun(args, { cwd: ROOT });
const median = medianOf;

interface Kept {
  sameParts: number;
  parts: number;
  validations: number;
  comments: number;
  styles: number;
}

/** What a file holds that people rely on: parts byte for byte against `original`, dropdowns, cell notes, cell styles. */
function kept(path: string, original?: Map<string, Buffer>): { kept: Kept; parts: Map<string, Buffer> } {
  const zip = readZip(readFileSync(path));
  const parts = new Map(zip.entries.filter((e) => !e.name.endsWith('/')).map((e) => [e.name, inflateEntry(zip, e)]));
  const count = (pattern: RegExp, names: (n: string) => boolean) =>
    [...parts].filter(([n]) => names(n)).reduce((sum, [, b]) => sum + (b.toString('utf8').match(pattern)?.length ?? 0), 0);
  const styles = parts.get('xl/styles.xml')?.toString('utf8');
  return {
    parts,
    kept: {
      sameParts: original ? [...original].filter(([n, b]) => parts.get(n)?.equals(b)).length : parts.size,
      parts: (original ?? parts).size,
      validations: count(/<dataValidation[ >]/g, (n) => n.startsWith('xl/worksheets/sheet')),
      comments: count(/<comment[ >]/g, (n) => /comments\d*\.xml$/.test(n) || n.includes('threadedComment')),
      styles: Number(/<cellXfs count="(\d+)"/.exec(styles ?? '')?.[1] ?? 0),
    },
  };
}

async function coopReads(path: string): Promise<string> {
  try {
    const data = await new XlsxRegistryStore(path, { cache: false }).read();
    return `reads ${data.projects.length} projects`;
  } catch (error) {
    return `refused: ${(error as Error).message.split('\n')[0]!.slice(0, 60)}`;
  }
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'coop-bench-xlsx-libs-'));
  try {
    for (const size of SIZES) {
      const source = join(dir, `registry-${size}.xlsx`);
      await makeRegistry(source, size);
      const { kept: before, parts: originalParts } = kept(source);
      console.log(
        `\n${size} projects — the original: ${before.parts} parts, ${before.validations} data validations, ${before.comments} notes, ${before.styles} cell styles`,
      );
      const rows: [string, { ms: number; peakMb: number }, string][] = [];
      const library = async (label: string, script: string) => {
        const out = join(dir, `out-${label.replace(/\W+/g, '')}.xlsx`);
        const m = median(Array.from({ length: RUNS }, () => run(['--input-type=module', '-e', script, source, out])));
        rows.push([label, m, out]);
      };
      await library('exceljs whole model', EXCELJS_FULL);
      await library('exceljs streaming read → write', EXCELJS_STREAM);
      await library('SheetJS (@e965/xlsx) read → write', SHEETJS);
      await library('jszip re-zip of the 2 sheet parts', JSZIP);
      // coop: the real `coop review` tick on copies of the registry with their state cache (as the office's PC has it),
      // each after one untimed tick.
      const ticks = Array.from({ length: RUNS }, (_, i) => {
        const copy = join(dir, `coop-${i}.xlsx`);
        for (const suffix of ['.xlsx', '.state.json', '.chain.json']) copyFileSync(source.replace(/\.xlsx$/, suffix), copy.replace(/\.xlsx$/, suffix));
        const tick = (id: string) => run([COOP, 'review', id, '--dept', '招就处', '--by', SAMPLE_APPROVERS['招就处'], '--registry', copy]);
        // The first tick after the bench's whole-model write re-indexes the file (registry-io prints it on its own).
        tick('HZ2026-002');
        return { copy, m: tick('HZ2026-001') };
      });
      rows.push(['coop change-only part patch (coop review)', median(ticks.map((t) => t.m)), ticks[0]!.copy]);

      for (const [label, m, out] of rows) {
        const k = kept(out, originalParts).kept;
        const fmt = `${(m.ms / 1000).toFixed(2).padStart(6)} s ${String(Math.round(m.peakMb)).padStart(5)} MB`;
        console.log(
          `  ${label.padEnd(44)} ${fmt}  parts kept byte for byte ${String(k.sameParts).padStart(2)}/${k.parts}  validations ${k.validations}/${before.validations}  notes ${k.comments}/${before.comments}  styles ${k.styles}  coop ${await coopReads(out)}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
