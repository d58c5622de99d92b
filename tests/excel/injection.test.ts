// Formula injection end to end: `= + - @`, tab and CR in every text field, a source header, 设置 list items and a
// category; every command that writes a workbook runs; openpyxl and LibreOffice find no formula, no live link and
// no broken validation in any output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { partnersSheet, projectsSheet, readSettings, writeSettings, type ColumnSpec, type RawCells, type SheetSpec } from '../../core/index.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { SOFFICE, convertWithLibreOffice } from '../helpers/libreoffice.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';

const link = (tag: string) => `=HYPERLINK("http://evil.example/${tag}","点此")`;
/** One payload per trigger; each text field gets the next, so every trigger reaches every kind of output. */
const PAYLOADS = [link('a'), '+1+1', '-2+3', '@SUM(1,2)', '\t=1+1', '\r=1+1', "=cmd|' /C calc'!A0"];
const payload = (i: number) => PAYLOADS[i % PAYLOADS.length]!;
const QUOTED = '带"引号"的系部';
/** A 设置 item can hold no comma (the inline list separates items by commas), so list items get the one-argument form. */
const bareLink = (tag: string) => `=HYPERLINK("http://evil.example/${tag}")`;

function isFreeText(column: ColumnSpec): boolean {
  return (column.type === 'text' || column.type === 'longText') && !column.setBy;
}

async function importWorkbook(path: string, partners: RawCells[], projects: RawCells[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = (spec: SheetSpec, rows: RawCells[]) => {
    const ws = workbook.addWorksheet(spec.name);
    const columns = spec.columns.filter((c) => (!c.setBy || c.key === 'partnerName') && c.type !== 'checkbox');
    // Headers the registry does not know travel to the rejects workbook verbatim: they are untrusted too.
    ws.addRow([...columns.map((c) => c.header), link('header'), '@备注2']);
    for (const row of rows) ws.addRow([...columns.map((c) => (row[c.key] ?? null) as ExcelJS.CellValue), '-额外', '+额外']);
  };
  sheet(partnersSheet, partners);
  sheet(projectsSheet, projects);
  await workbook.xlsx.writeFile(path);
}

const INSPECT = `
import json, re, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"formulas": [], "raw": [], "links": [], "lists": [], "badLists": [], "payloads": 0}
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if c.data_type == 'f' or (isinstance(v, str) and v.startswith('=') and c.data_type != 's'):
                out["formulas"].append([ws.title, c.coordinate, str(v)])
            if isinstance(v, str):
                if re.match(r'^[=+\\-@\\t\\r]', v):
                    out["raw"].append([ws.title, c.coordinate, v])
                if 'evil.example' in v or v.startswith("'+") or v.startswith("'@"):
                    out["payloads"] += 1
            if c.hyperlink is not None:
                out["links"].append([ws.title, c.coordinate, str(c.hyperlink.target)])
    for dv in ws.data_validations.dataValidation:
        if dv.type == 'list':
            f = dv.formula1 or ''
            out["lists"].append(f)
            if f.startswith('"') and not re.fullmatch(r'"(?:[^"]|"")*"', f):
                out["badLists"].append([ws.title, str(dv.sqref), f])
print(json.dumps(out, ensure_ascii=False))
`;

interface Inspection {
  formulas: string[][];
  raw: string[][];
  links: string[][];
  lists: string[];
  badLists: string[][];
  payloads: number;
}

if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);

describe.skipIf(!OPENPYXL_PYTHON)('formula injection through every workbook coop writes', () => {
  const outputs: Record<string, string> = {};
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('coop-injection-');
    const registry = join(dir, 'registry.xlsx');
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    const store = new XlsxRegistryStore(registry);
    await store.update((data) => {
      const { settings } = readSettings(data);
      settings.schoolName = link('school');
      // Short lists: an inline dropdown holds at most 255 characters, and these must stay dropdowns.
      settings.departments = ['基础部', bareLink('dept'), '+系部', '-系部', '@系部', QUOTED];
      settings.majors = ['数控技术应用', bareLink('major'), '+专业', '@专业'];
      settings.officeStaff = ['office@example.cn'];
      writeSettings(data, settings);
      return { result: null, write: true };
    });

    let n = 0;
    const poison = (row: RawCells, spec: SheetSpec, keep: string[]) => {
      const out: RawCells = { ...row };
      for (const c of spec.columns) if (isFreeText(c) && !keep.includes(c.key)) out[c.key] = `${payload(n++)}`;
      return out;
    };
    const partnerName = `${link('partner')}星湖`;
    const good = { ...poison(SAMPLE_PARTNERS[0] as unknown as RawCells, partnersSheet, []), name: partnerName, matchedMajor: bareLink('major') };
    const refused = { ...poison(SAMPLE_PARTNERS[1] as unknown as RawCells, partnersSheet, []), kind: link('kind') };
    const project = {
      ...poison(SAMPLE_PROJECTS[0] as unknown as RawCells, projectsSheet, ['partnerName']),
      partnerName,
      department: bareLink('dept'),
    };
    const input = join(dir, '申请表.xlsx');
    await importWorkbook(input, [good, refused], [project]);

    outputs.rejects = join(dir, '导入问题.xlsx');
    const imported = coop(['import', input, '--registry', registry, '--rejects', outputs.rejects], { cwd: dir });
    expect(imported.stdout).toContain('新增 2');
    expect(imported.stdout).toContain('拒绝 1');

    // Workflow commands write the registry too: a return reason lands in 审查意见 and in 审批记录.
    const submitted = coop(['submit', 'HZ2026-001', '--by', 'office@example.cn', '--registry', registry]);
    expect(submitted.code, submitted.stderr + submitted.stdout).toBe(0);
    const returned = coop(['return', 'HZ2026-001', '--reason', `${link('reason')}\t+1`, '--by', 'office@example.cn', '--registry', registry]);
    expect(returned.code, returned.stderr + returned.stdout).toBe(0);

    // A category typed by hand into the registry reaches the archive's statistics as a label.
    await store.update((data) => {
      data.projects[0]!.cells.category = link('category');
      return { result: null, write: true };
    });
    expect(coop(['init', '--repair', '--registry', registry]).code).toBe(0);
    outputs.registry = registry;
    outputs.archive = join(dir, '档案.xlsx');
    expect(coop(['export', '--registry', registry, '--out', outputs.archive]).code).toBe(0);
    outputs.form = join(dir, '申请表-空白.xlsx');
    expect(coop(['form', '--registry', registry, '--out', outputs.form]).code).toBe(0);
  }, 240_000);

  it.each(['registry', 'rejects', 'archive', 'form'])('%s: openpyxl finds no formula, no raw trigger, no link, no broken list', (name) => {
    const found = JSON.parse(runOpenpyxl(INSPECT, [outputs[name]!])) as Inspection;
    expect(found.formulas).toEqual([]);
    expect(found.raw).toEqual([]);
    expect(found.links).toEqual([]);
    expect(found.badLists).toEqual([]);
    // The payloads did reach this workbook (as neutralised text), so the checks above had something to find.
    expect(found.payloads).toBeGreaterThan(0);
    if (name === 'registry' || name === 'form') {
      expect(found.lists.some((f) => f.includes('带""引号""的系部'))).toBe(true);
      expect(found.lists.some((f) => f.includes('=HYPERLINK(""http://evil.example/dept"")'))).toBe(true);
    }
  });

  it('the rejects workbook keeps the copied source headers as text', () => {
    const found = JSON.parse(
      runOpenpyxl(
        `import json,sys,openpyxl\nws=openpyxl.load_workbook(sys.argv[1])['合作单位']\nprint(json.dumps([c.value for c in ws[1]],ensure_ascii=False))`,
        [outputs.rejects!],
      ),
    ) as string[];
    expect(found).toContain(`'${link('header')}`);
    expect(found).toContain(`'@备注2`);
  });

  it.skipIf(!SOFFICE).each(['registry', 'rejects', 'archive', 'form'])('%s: LibreOffice opens it with no formula and no link to the payload', (name) => {
    const flat = readFileSync(convertWithLibreOffice(outputs[name]!, 'fods'), 'utf8');
    expect(flat).not.toMatch(/table:formula="[^"]*(HYPERLINK|SUM|cmd|1\+1|2\+3)/i);
    expect(flat).not.toContain('xlink:href="http://evil.example');
    expect(flat).toContain('evil.example');
    if (name === 'registry' || name === 'form') {
      // The dropdown survives with the quoted item intact: LibreOffice parsed the list formula.
      expect(flat).toMatch(/table:condition="of:cell-content-is-in-list\([^"]*&quot;带&quot;&quot;引号&quot;&quot;的系部&quot;/);
    }
  });
});
