// The streamed read of the read-only commands (stores/xlsx-read.ts): sheet parts inflated in chunks and parsed as the
// chunks come give exactly the registry the whole-part reader and exceljs give, for files written by coop (shared
// strings from the whole-model write, inline strings from change-only writes), by openpyxl and by LibreOffice, with
// chunks so small (7 bytes) that Chinese characters, entities and tags are cut between them.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_SHEETS, defaultSettings, readSettings, writeSettings, type RegistryData, type ReviewDepartment } from '../../core/index.js';
import { SAMPLE_APPLICANT, SAMPLE_APPROVERS, SAMPLE_OFFICE } from '../../sync/src/demo/sample-data.js';
import { inflateEntry, readZip } from '../../sync/src/excel/zip-parts.js';
import { applyWorkflowToData } from '../../sync/src/ops/workflow.js';
import { anchorPath } from '../../sync/src/stores/chain-anchor.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { randomRegistry } from '../excel/random-registry.js';
import { NO_SOFFICE_REASON, SOFFICE, convertWithLibreOffice } from '../helpers/libreoffice.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';

const NOW = new Date('2026-11-24T02:00:00Z');
const DEPARTMENTS = Object.keys(SAMPLE_APPROVERS) as ReviewDepartment[];
/** Text with what a cut can break: 3- and 4-byte UTF-8 characters, every entity, a line break, a leading `=`. */
const TRICKY = '=甲&乙 <合作> "引号" \'单引\' 😀𠀀 肇庆&amp;星湖\n第二行';

/** The whole registry as a reader sees it: every row's cells, sheet row and carried extra cells. */
function shape(data: RegistryData): Record<string, unknown[]> {
  return Object.fromEntries(REGISTRY_SHEETS.map((s) => [s.key, data[s.key].map((r) => ({ cells: r.cells, sheetRow: r.sheetRow, extra: r.extra }))]));
}

async function read(path: string, options: ConstructorParameters<typeof XlsxRegistryStore>[1]): Promise<Record<string, unknown[]>> {
  return shape(await new XlsxRegistryStore(path, { cache: false, ...options }).read());
}

/** The streamed read with several chunk sizes equals the whole-part read; returns that read. */
async function expectStreamedEqualsWhole(path: string): Promise<Record<string, unknown[]>> {
  const whole = await read(path, { chunk: 0 });
  for (const chunk of [7, 13, 4096, undefined]) expect(await read(path, { chunk }), `chunk ${chunk ?? 'default'}`).toEqual(whole);
  return whole;
}

/** How many entities and how many multi-byte characters of the inflated 合作单位 part a cut every `chunk` bytes falls inside. */
function cutsInside(path: string, chunk: number): { entities: number; characters: number } {
  const zip = readZip(readFileSync(path));
  const xml = inflateEntry(zip, zip.entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!);
  const cut = (from: number, length: number) => Math.floor(from / chunk) !== Math.floor((from + length - 1) / chunk);
  let entities = 0;
  for (const m of xml.toString('latin1').matchAll(/&(#x?[0-9a-fA-F]+|lt|gt|amp|quot|apos);/g)) if (cut(m.index, m[0].length)) entities++;
  let characters = 0;
  for (let at = 0; at < xml.length; at++) {
    const lead = xml[at]!;
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (length && cut(at, length)) characters++;
  }
  return { entities, characters };
}

/** A registry written whole by exceljs (shared strings), then changed change-only (inline strings, a hyperlink, log rows). */
async function coopRegistry(path: string): Promise<void> {
  const full = new XlsxRegistryStore(path, { read: 'exceljs', write: 'full' });
  await full.create(defaultSettings());
  await full.update((data) => {
    Object.assign(data, randomRegistry(7, { partners: 6, projects: 12 }));
    const { settings } = readSettings(data);
    for (const d of DEPARTMENTS) settings.approvers[d] = [SAMPLE_APPROVERS[d]];
    settings.officeStaff = [SAMPLE_OFFICE];
    writeSettings(data, settings);
    data.partners[0]!.cells.notes = TRICKY;
    return { result: undefined, write: true };
  });
  const store = new XlsxRegistryStore(path);
  await store.update((data) => {
    data.partners[1]!.cells.notes = `${TRICKY} 改`;
    data.partners[2]!.cells.contactName = '联系人&<>"张三"';
    data.projects[3]!.cells.agreementLink = 'https://drive.example.cn/file/1?a=1&b=2';
    // One project at a time: a batch is refused whole when one project in it may not be submitted.
    for (const project of data.projects) {
      const id = [project.cells.projectId as string];
      if (applyWorkflowToData(data, id, { type: 'submit' }, SAMPLE_APPLICANT, NOW).ok)
        applyWorkflowToData(data, id, { type: 'tick', department: DEPARTMENTS[0]! }, SAMPLE_APPROVERS[DEPARTMENTS[0]!], NOW);
    }
    return { result: undefined, write: true };
  });
  expect(store.lastWrite).toBe('patch');
}

describe('the streamed registry read', () => {
  let dir: string;
  let registry: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coop-stream-read-'));
    registry = join(dir, 'registry.xlsx');
    await coopRegistry(registry);
  }, 120_000);

  it('reads a registry coop wrote exactly as the whole-part reader and exceljs do, however small the chunks', async () => {
    // The 7-byte cuts fall inside entities and inside multi-byte characters of the part (tags are cut all the time).
    const inside = cutsInside(registry, 7);
    expect(inside.entities).toBeGreaterThan(0);
    expect(inside.characters).toBeGreaterThan(0);

    const whole = await expectStreamedEqualsWhole(registry);
    const partners = whole.partners as { cells: Record<string, unknown> }[];
    expect(partners[0]!.cells.notes).toBe(TRICKY);
    expect(partners[1]!.cells.notes).toBe(`${TRICKY} 改`);
    expect((whole.projects as { cells: Record<string, unknown> }[])[3]!.cells.agreementLink).toBe('https://drive.example.cn/file/1?a=1&b=2');
    expect((whole.reviewLog as unknown[]).length).toBeGreaterThan(4);
    const exceljs = await read(registry, { read: 'exceljs' });
    const cells = (r: Record<string, unknown[]>) =>
      Object.fromEntries(Object.entries(r).map(([k, rows]) => [k, (rows as { cells: unknown }[]).map((x) => x.cells)]));
    expect(cells(await read(registry, { chunk: 7 }))).toEqual(cells(exceljs));
  });

  it.skipIf(!OPENPYXL_PYTHON)('reads a registry openpyxl wrote (a user column, a hyperlink, shared strings) as the whole-part reader does', async () => {
    if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);
    const edited = join(dir, 'openpyxl.xlsx');
    runOpenpyxl(
      `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['合作单位']
col = ws.max_column + 1
ws.cell(row=1, column=col, value='自用备注')
for r in range(2, ws.max_row + 1):
    ws.cell(row=r, column=col, value=sys.argv[3] + ' #' + str(r))
ws.cell(row=2, column=col).hyperlink = 'https://example.cn/a?x=1&y=2'
wb.save(sys.argv[2])`,
      // Without the leading `=`: openpyxl would store the text as a formula.
      [registry, edited, TRICKY.slice(1)],
    );
    copyFileSync(anchorPath(registry), anchorPath(edited));
    const whole = await expectStreamedEqualsWhole(edited);
    const extra = (whole.partners as { extra: [number, unknown][] }[])[0]!.extra;
    expect(extra.length).toBe(1);
    expect(extra[0]![1]).toEqual({ text: `${TRICKY.slice(1)} #2`, hyperlink: 'https://example.cn/a?x=1&y=2' });
    expect((whole.partners as { extra: [number, unknown][] }[])[1]!.extra[0]![1]).toBe(`${TRICKY.slice(1)} #3`);
  });

  it.skipIf(!SOFFICE)(
    'reads a registry LibreOffice re-saved as the whole-part reader does',
    async () => {
      if (!SOFFICE) console.warn(`[skip] ${NO_SOFFICE_REASON}`);
      const resaved = convertWithLibreOffice(registry, 'xlsx', mkdtempSync(join(tmpdir(), 'coop-stream-lo-')));
      const whole = await expectStreamedEqualsWhole(resaved);
      expect((whole.partners as { cells: Record<string, unknown> }[])[0]!.cells.notes).toBe(TRICKY);
    },
    120_000,
  );

  it('falls back to exceljs for a sheet the part reader refuses (rows out of order), streamed or whole', async () => {
    const zip = await JSZip.loadAsync(readFileSync(registry));
    const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const rows = [...xml.matchAll(/<row\b[\s\S]*?<\/row>/g)].map((m) => m[0]);
    expect(rows.length).toBeGreaterThan(3);
    // Rows 2 and 3 swapped, each keeping its number: exceljs places them by number, the part reader refuses the order.
    const swapped = xml.replace(rows[1]! + rows[2]!, rows[2]! + rows[1]!);
    expect(swapped).not.toBe(xml);
    zip.file('xl/worksheets/sheet1.xml', swapped);
    const shuffled = join(dir, 'shuffled.xlsx');
    await writeFile(shuffled, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const cells = (r: Record<string, unknown[]>) =>
      Object.fromEntries(Object.entries(r).map(([k, rows]) => [k, (rows as { cells: unknown }[]).map((x) => x.cells)]));
    const exceljs = cells(await read(shuffled, { read: 'exceljs' }));
    expect(cells(await read(shuffled, { chunk: 7 }))).toEqual(exceljs);
    expect(cells(await read(shuffled, { chunk: 0 }))).toEqual(exceljs);
    expect(exceljs.partners).toEqual(cells(await read(registry, { read: 'exceljs' })).partners);
  });

  it('gives coop validate and status the same report from the streamed read as from the whole-part read', async () => {
    const { validateStore, registrySummary } = await import('../../sync/src/ops/registry-ops.js');
    const streamed = new XlsxRegistryStore(registry, { cache: false, chunk: 7 });
    const whole = new XlsxRegistryStore(registry, { cache: false, chunk: 0 });
    expect(await validateStore(streamed, NOW)).toEqual(await validateStore(whole, NOW));
    expect(await registrySummary(streamed, NOW)).toEqual(await registrySummary(whole, NOW));
  });
});
