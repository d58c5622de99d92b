// The archive's long sheets written as XML text (rawRows, the default, with its own zip and shared strings) against the
// same archive written through exceljs's own row objects, shared strings and zip, on random registries with review logs,
// meetings, signings and links: every zip part is the same text;
// openpyxl reads the same cells, types, number formats, fonts, fills, borders, alignment, heights, merges, widths, panes,
// print setup and properties, and what it reads matches the registry; LibreOffice opens the archive and keeps every cell.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MEETING_BODIES, MEETING_DECISIONS, REVIEW_DEPARTMENTS, defaultSettings, effectiveStatus, sheetSpec, type RegistryData } from '../../core/index.js';
import { SAMPLE_APPLICANT, SAMPLE_APPROVERS, SAMPLE_OFFICE, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { ARCHIVE_MONEY_FORMAT, ARCHIVE_SHEETS, buildArchive, type ArchiveRows } from '../../sync/src/excel/archive.js';
import { DATE_FORMAT } from '../../sync/src/excel/cells.js';
import { inflateEntry, readZip } from '../../sync/src/excel/zip-parts.js';
import { addSampleRecords } from '../../sync/src/ops/demo.js';
import { readForPrint } from '../../sync/src/ops/printed.js';
import { applyWorkflowToData } from '../../sync/src/ops/workflow.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { columnLetter } from '../../sync/src/util/a1.js';
import { tempDir } from '../helpers/cli.js';
import { NO_SOFFICE_REASON, SOFFICE, convertWithLibreOffice } from '../helpers/libreoffice.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { prng, randomRegistry } from './random-registry.js';

if (!OPENPYXL_PYTHON) console.warn(`[skip] raw archive rows against openpyxl: ${NO_OPENPYXL_REASON}`);
if (!SOFFICE) console.warn(`[skip] raw archive rows in LibreOffice: ${NO_SOFFICE_REASON}`);

const NOW = new Date('2026-11-24T02:00:00Z');
/** Link targets with what XML must escape; every third project gets one. */
const linkOf = (i: number) => `https://example.org/协议/${i}?a=1&b=<${i}>`;

/** A random registry, plus the sample projects taken through submission, random ticks, meetings and signings. */
function workedRegistry(seed: number): RegistryData {
  const rnd = prng(seed);
  const data = randomRegistry(seed, { partners: 8, projects: 18 });
  const ids = addSampleRecords(
    data,
    Array.from({ length: 12 }, (_, i) => ({ ...SAMPLE_PROJECTS[i % SAMPLE_PROJECTS.length]!, title: `=项目 ${seed}-${i}` })),
    NOW,
  );
  applyWorkflowToData(data, ids, { type: 'submit' }, SAMPLE_APPLICANT, NOW);
  for (const { name: department } of REVIEW_DEPARTMENTS) {
    const some = ids.filter(() => rnd() < 0.8);
    if (some.length) applyWorkflowToData(data, some, { type: 'tick', department, remark: '@同意' }, SAMPLE_APPROVERS[department], NOW);
  }
  for (const body of MEETING_BODIES) {
    const some = ids.filter(() => rnd() < 0.6);
    const decision = MEETING_DECISIONS[Math.floor(rnd() * MEETING_DECISIONS.length)]!;
    if (some.length) applyWorkflowToData(data, some, { type: 'meeting', body, decision, minutes: `+纪要 ${body}` }, SAMPLE_OFFICE, NOW);
  }
  applyWorkflowToData(data, ids, { type: 'sign', date: '2026-11-20' }, SAMPLE_OFFICE, NOW);
  data.projects.forEach((p, i) => {
    if (i % 3 === 0) p.cells.agreementLink = linkOf(i);
  });
  // Text whose spaces XML keeps only when told (leading, trailing, a line break), and characters it must escape.
  const partner = data.partners[0]!.cells;
  partner.name = ` 前导空格 & <合作> "单位" ${seed}`;
  partner.address = `末尾空格 's ${seed} `;
  partner.notes = `第一行\n第二行 ${seed}`;
  return data;
}

/** Everything openpyxl reads of a workbook that a reader sees: cells with their look, and each sheet's layout. */
const DUMP = `
import sys, json, datetime, openpyxl
from openpyxl.utils import get_column_letter
wb = openpyxl.load_workbook(sys.argv[1])
def color(c):
    return None if c is None else (c.rgb if isinstance(c.rgb, str) else None)
def val(v):
    if isinstance(v, datetime.datetime): return ['date', v.isoformat()]
    return v
out = {'props': {k: str(getattr(wb.properties, k)) for k in ('creator', 'lastModifiedBy', 'title', 'subject', 'keywords', 'description', 'created', 'modified')}, 'sheets': []}
for ws in wb.worksheets:
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if type(c).__name__ == 'MergedCell':
                cells.append([c.coordinate, 'merged', c.font.name, c.border.left.style, c.alignment.wrap_text])
                continue
            f, fl, b, a = c.font, c.fill, c.border, c.alignment
            cells.append([c.coordinate, val(c.value), c.data_type, c.number_format,
                [f.name, f.sz, f.b, f.i, color(f.color)], [fl.patternType, color(fl.fgColor)],
                [b.left.style, b.right.style, b.top.style, b.bottom.style], [a.horizontal, a.vertical, a.wrap_text],
                c.hyperlink.target if c.hyperlink else None])
    m = ws.page_margins
    pr = ws.sheet_properties.pageSetUpPr
    out['sheets'].append({
        'name': ws.title, 'state': ws.sheet_state, 'freeze': ws.freeze_panes, 'titles': ws.print_title_rows,
        'page': [ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, bool(pr and pr.fitToPage)],
        'centred': bool(ws.print_options.horizontalCentered), 'margins': [m.left, m.right, m.top, m.bottom, m.header, m.footer],
        'footer': ws.oddFooter.center.text, 'filter': ws.auto_filter.ref,
        'merges': sorted(str(r) for r in ws.merged_cells.ranges),
        'widths': {get_column_letter(i): d.width for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)},
        'heights': {str(k): d.height for k, d in ws.row_dimensions.items() if d.height},
        'cells': cells,
    })
print(json.dumps(out, ensure_ascii=False))
`;

interface Dump {
  props: Record<string, string>;
  sheets: {
    name: string;
    merges: string[];
    widths: Record<string, number>;
    heights: Record<string, number>;
    cells: unknown[][];
    [key: string]: unknown;
  }[];
}

describe('the archive\u2019s raw rows against exceljs\u2019s row objects', () => {
  const seeds = [16, 1616];
  const files = new Map<string, { raw: string; reference: string; data: RegistryData }>();

  beforeAll(async () => {
    for (const seed of seeds) {
      const dir = tempDir('coop-export-raw-');
      const registry = join(dir, 'registry.xlsx');
      const store = new XlsxRegistryStore(registry);
      await store.create(defaultSettings());
      const worked = workedRegistry(seed);
      await store.update((data) => {
        Object.assign(data, worked);
        return { result: undefined, write: true };
      });
      // As `coop export` reads it: through the store, with the derived columns.
      const { data, settings, today } = await readForPrint(registry, NOW, false);
      const write = async (rows: ArchiveRows) => {
        const path = join(dir, `archive-${rows}.xlsx`);
        writeFileSync(path, await buildArchive(data, settings, NOW, today, {}, { rows }).write());
        return path;
      };
      files.set(String(seed), { raw: await write('raw'), reference: await write('exceljs'), data });
    }
  }, 300_000);

  it('writes every zip part as the same text, in the same order', () => {
    for (const { raw, reference } of files.values()) {
      const a = readZip(readFileSync(raw));
      const b = readZip(readFileSync(reference));
      expect(a.entries.map((e) => e.name)).toEqual(b.entries.map((e) => e.name));
      const strings = a.entries.find((e) => e.name === 'xl/sharedStrings.xml')!;
      expect(inflateEntry(a, strings).toString('utf8')).toMatch(/<t xml:space="preserve"> 前导空格 &amp; &lt;合作&gt; &quot;单位&quot;/);
      for (const [i, entry] of a.entries.entries()) {
        expect(inflateEntry(a, entry).toString('utf8'), entry.name).toBe(inflateEntry(b, b.entries[i]!).toString('utf8'));
      }
    }
  });

  describe.skipIf(!OPENPYXL_PYTHON)('as openpyxl reads it', () => {
    // Read once, by the first test that needs it (the archives are written in the outer beforeAll).
    let read: Map<string, { raw: Dump; reference: Dump }> | undefined;
    const dumps = () =>
      (read ??= new Map(
        [...files].map(([seed, { raw, reference }]) => [
          seed,
          { raw: JSON.parse(runOpenpyxl(DUMP, [raw])) as Dump, reference: JSON.parse(runOpenpyxl(DUMP, [reference])) as Dump },
        ]),
      ));

    it('reads the same cells, looks and layout as in the reference', () => {
      for (const { raw, reference } of dumps().values()) {
        expect(raw.sheets.map((s) => s.name)).toEqual(reference.sheets.map((s) => s.name));
        expect(raw.props).toEqual(reference.props);
        for (const [i, sheet] of raw.sheets.entries()) expect(sheet, sheet.name).toEqual(reference.sheets[i]);
      }
    }, 300_000);

    it('holds the registry: values, dates as dates, formats, links, 宋体 on paper, one merged block per project, no formula', () => {
      for (const [seed, { raw }] of dumps()) {
        const { data } = files.get(seed)!;
        const sheet = (name: string) => raw.sheets.find((s) => s.name === name)!;
        const at = (name: string) => new Map(sheet(name).cells.map((c) => [c[0] as string, c]));

        const projects = at(sheetSpec('projects').name);
        const columns = sheetSpec('projects').columns;
        const letter = (key: string) => columnLetter(columns.findIndex((c) => c.key === key) + 1);
        let links = 0;
        data.projects.forEach((p, i) => {
          const row = i + 2;
          expect(projects.get(`A${row}`)![1]).toBe(p.cells.projectId);
          const start = projects.get(`${letter('startDate')}${row}`)!;
          if (typeof p.cells.startDate === 'string') {
            // A calendar date stays that day, whatever the zone the test runs in.
            expect(start[1]).toEqual(['date', `${p.cells.startDate}T00:00:00`]);
            expect(start[3]).toBe(DATE_FORMAT);
          }
          const link = projects.get(`${letter('agreementLink')}${row}`)!;
          if (typeof p.cells.agreementLink === 'string' && p.cells.agreementLink.startsWith('https:')) {
            links++;
            expect(link[1]).toBe(p.cells.agreementLink);
            expect(link[8]).toBe(p.cells.agreementLink);
          }
        });
        expect(links).toBeGreaterThan(3);
        const money = columns.findIndex((c) => c.type === 'money');
        expect(projects.get(`${columnLetter(money + 1)}2`)![3]).toBe(ARCHIVE_MONEY_FORMAT);

        // The register: one line per project in registry order, 宋体 10 in thin boxes, wrapped at the top.
        const register = sheet('登记簿');
        const registerCells = at('登记簿');
        data.projects.forEach((p, i) => {
          const cell = registerCells.get(`A${i + 3}`)!;
          expect(cell[1]).toBe(p.cells.projectId);
          expect(cell[4]).toEqual(['宋体', 10, false, false, null]);
          expect(cell[6]).toEqual(['thin', 'thin', 'thin', 'thin']);
          expect(cell[7]).toEqual([null, 'top', true]);
          expect(registerCells.get(`G${i + 3}`)![1]).toBe(effectiveStatus(p.cells, '2026-11-24'));
          expect(register.heights[String(i + 3)]).toBeGreaterThan(0);
        });

        // 审查与审议: ID and title merged down each project's block (openpyxl keeps no style of a merged cell; the part comparison does).
        const reviews = sheet('审查与审议');
        expect(reviews.merges.filter((m) => /^A\d+:A\d+$/.test(m))).toHaveLength(data.projects.length);
        const reviewCells = at('审查与审议');
        for (const merge of reviews.merges.filter((m) => /^A\d+:A\d+$/.test(m))) {
          const [top, bottom] = merge.match(/\d+/g)!.map(Number) as [number, number];
          expect(reviewCells.get(`A${top}`)![1]).toMatch(/^[A-Z]+\d{4}-\d{3}$/);
          for (let r = top + 1; r <= bottom; r++) expect(reviewCells.get(`A${r}`)![1], `A${r}`).toBe('merged');
        }

        // Injected text stays text: no formula, no string a spreadsheet would evaluate.
        for (const s of raw.sheets) {
          for (const c of s.cells) {
            expect(c[2], `${s.name}!${c[0]}`).not.toBe('f');
            if (typeof c[1] === 'string') expect(c[1], `${s.name}!${c[0]}`).not.toMatch(/^[=+\-@]/);
          }
        }
      }
    });
  });

  it.skipIf(!SOFFICE || !OPENPYXL_PYTHON)(
    'opens in LibreOffice, which keeps every cell of every sheet',
    () => {
      const { raw } = files.get(String(seeds[0]))!;
      const saved = convertWithLibreOffice(raw, 'xlsx:Calc MS Excel 2007 XML');
      const VALUES = `
import sys, json, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def val(v):
    if isinstance(v, datetime.datetime): return v.date().isoformat()
    if isinstance(v, float) and v.is_integer(): return int(v)
    # LibreOffice saves a boolean as the formula TRUE() or FALSE().
    if v in ('=TRUE()', '=FALSE()'): return v == '=TRUE()'
    return None if v == '' else v
print(json.dumps({ws.title: [[val(v) for v in r] for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}, ensure_ascii=False))
`;
      const trim = (sheets: Record<string, unknown[][]>) =>
        Object.fromEntries(
          Object.entries(sheets).map(([name, rows]) => {
            const trimmed = rows.map((r) => {
              const row = [...r];
              while (row.length && (row.at(-1) === null || row.at(-1) === '')) row.pop();
              return row;
            });
            while (trimmed.length && !trimmed.at(-1)!.length) trimmed.pop();
            return [name, trimmed];
          }),
        );
      const ours = trim(JSON.parse(runOpenpyxl(VALUES, [raw])) as Record<string, unknown[][]>);
      const theirs = trim(JSON.parse(runOpenpyxl(VALUES, [saved])) as Record<string, unknown[][]>);
      expect(Object.keys(theirs)).toEqual(Object.keys(ours));
      expect(ARCHIVE_SHEETS.every((k) => sheetSpec(k).name in theirs)).toBe(true);
      expect(theirs).toEqual(ours);
    },
    300_000,
  );
});
