// The streamed archive, as openpyxl reads it: the layout the streaming writer must carry over from the whole-model one —
// review blocks merged per project, widths measured from the data, print setup, frozen headers, blank lines between sections.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectTrail, readSettings } from '../../core/index.js';
import { displayWidth } from '../../sync/src/excel/print-layout.js';
import { ARCHIVE_TEXT } from '../../sync/src/excel/text.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';

if (!OPENPYXL_PYTHON) console.warn(`[skip] streamed archive layout: ${NO_OPENPYXL_REASON}`);

interface SheetLayout {
  name: string;
  state: string;
  fitToPage: boolean;
  paperSize: number | null;
  orientation: string | null;
  printTitleRows: string | null;
  centred: boolean;
  footer: string;
  freeze: string | null;
  merges: string[];
  widths: Record<string, number>;
  rows: (string | number | null)[][];
}

const READ_LAYOUT = `
import sys, json, datetime, openpyxl
from openpyxl.utils import get_column_letter
wb = openpyxl.load_workbook(sys.argv[1])
def cell(c):
    if isinstance(c, datetime.datetime): return c.date().isoformat()
    return c if isinstance(c, (int, float)) or c is None else str(c)
out = []
for ws in wb.worksheets:
    pr = ws.sheet_properties.pageSetUpPr
    out.append({
        'name': ws.title,
        'state': ws.sheet_state,
        'fitToPage': bool(pr and pr.fitToPage),
        'paperSize': int(ws.page_setup.paperSize) if ws.page_setup.paperSize else None,
        'orientation': ws.page_setup.orientation,
        'printTitleRows': ws.print_title_rows,
        'centred': bool(ws.print_options.horizontalCentered),
        'footer': ws.oddFooter.center.text or '',
        'freeze': ws.freeze_panes,
        'merges': sorted(str(r) for r in ws.merged_cells.ranges),
        'widths': {get_column_letter(i): d.width for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)},
        'rows': [[cell(c) for c in r] for r in ws.iter_rows(values_only=True)],
    })
print(json.dumps(out, ensure_ascii=False))
`;

describe.skipIf(!OPENPYXL_PYTHON)('coop export, streamed', () => {
  let registry: string;
  let sheets: Map<string, SheetLayout>;

  beforeAll(() => {
    const dir = tempDir('coop-export-stream-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
    const archive = join(dir, '档案.xlsx');
    const r = coop(['export', '--registry', registry, '--out', archive]);
    expect(r.code, r.stderr).toBe(0);
    const layout = JSON.parse(runOpenpyxl(READ_LAYOUT, [archive])) as SheetLayout[];
    sheets = new Map(layout.map((s) => [s.name, s]));
  }, 300_000);

  it('merges each project’s review rows into one block, one block per project, in registry order', async () => {
    const data = await new XlsxRegistryStore(registry).read();
    const { settings } = readSettings(data);
    const reviews = sheets.get('审查与审议')!;
    const expected: string[] = [];
    let row = 3;
    for (const { cells } of data.projects) {
      const id = String(cells.projectId);
      const trail = projectTrail(
        data.reviewLog.filter((e) => e.cells.projectId === id).map((e) => e.cells),
        id,
        typeof cells.category === 'string' ? cells.category : null,
        settings,
      );
      const last = row + trail.reviews.length + trail.meetings.length;
      if (last > row) expected.push(`A${row}:A${last}`, `B${row}:B${last}`);
      expect(reviews.rows[row - 1]![0], `row ${row}`).toBe(id);
      expect(reviews.rows[last - 1]![2], `row ${last}`).toBe(ARCHIVE_TEXT.signing);
      row = last + 1;
    }
    expect(reviews.rows).toHaveLength(row - 1);
    expect(reviews.merges).toEqual([...expected, `A1:${String.fromCharCode(64 + ARCHIVE_TEXT.reviewHeaders.length)}1`].sort());
  });

  it('sizes every data column to its longest value (up to 60) before any row is written', () => {
    for (const name of ['合作单位', '合作项目', '审批记录']) {
      const sheet = sheets.get(name)!;
      const header = sheet.rows[0]!;
      header.forEach((_, c) => {
        const letter = String.fromCharCode(65 + (c % 26));
        const key = c < 26 ? letter : `A${letter}`;
        const widest = Math.max(...sheet.rows.map((r) => (typeof r[c] === 'string' ? displayWidth(r[c]) + 2 : 0)));
        expect(sheet.widths[key], `${name}!${key}`).toBeGreaterThanOrEqual(Math.min(60, widest));
      });
    }
  });

  it('prints every sheet fitted to A4 width with page numbers; registers centred with repeated headers; data sheets hidden', () => {
    expect([...sheets.keys()]).toEqual(['封面', '登记簿', '审查与审议', '统计', '合作单位', '合作项目', '审批记录', '年度评价', '成果登记']);
    for (const sheet of sheets.values()) {
      expect(sheet.fitToPage, sheet.name).toBe(true);
      expect(sheet.paperSize, sheet.name).toBe(9);
      expect(sheet.orientation, sheet.name).toBe(sheet.name === '封面' ? 'portrait' : 'landscape');
      expect(sheet.footer, sheet.name).toContain('第 &P 页 共 &N 页');
    }
    for (const name of ['登记簿', '审查与审议']) {
      expect(sheets.get(name)).toMatchObject({ centred: true, printTitleRows: '$1:$2', freeze: 'A3', state: 'visible' });
    }
    for (const name of ['合作单位', '合作项目', '审批记录', '年度评价', '成果登记']) {
      expect(sheets.get(name)).toMatchObject({ printTitleRows: '$1:$1', freeze: 'A2', state: 'hidden' });
    }
  });

  it('separates the statistics sections by one blank row', () => {
    const rows = sheets.get('统计')!.rows;
    const titles = Object.values(ARCHIVE_TEXT.statsTitles);
    const at = titles.map((t) => rows.findIndex((r) => r[0] === t));
    expect(at[0]).toBe(0);
    for (const i of at.slice(1)) {
      expect(i).toBeGreaterThan(0);
      expect(rows[i - 1]!.every((v) => v === null)).toBe(true);
    }
  });
});
