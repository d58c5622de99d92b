// The department form: sheets, headers derived from the schema, dropdowns and hints, protection, the example row; LibreOffice reads it.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, defaultSettings, type ColumnSpec, partnersSheet, projectsSheet, type RawCells } from '../../core/index.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { fillFormSheet, formColumns } from '../../sync/src/excel/form.js';
import { coop, tempDir } from '../helpers/cli.js';
import { SOFFICE } from '../helpers/libreoffice.js';
import { convertAll } from './fixtures.js';

type Validations = { model: Record<string, ExcelJS.DataValidation> };
const validationsOf = (ws: ExcelJS.Worksheet) => (ws as unknown as { dataValidations: Validations }).dataValidations.model;

function validationAt(ws: ExcelJS.Worksheet, header: string): ExcelJS.DataValidation | undefined {
  const row = ws.getRow(1).values as unknown[];
  const letter = ws.getColumn(row.indexOf(header)).letter;
  const model = validationsOf(ws);
  // exceljs may expand a range validation to single cells on read.
  return model[`${letter}3`] ?? Object.entries(model).find(([a]) => a.startsWith(`${letter}2:`) || a.startsWith(`${letter}3:`))?.[1];
}

describe('coop form', () => {
  let dir: string;
  let path: string;
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    dir = tempDir('coop-form-');
    path = join(dir, '合作项目申请表.xlsx');
    const r = coop(['form', '--out', path]);
    expect(r.code).toBe(0);
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
  });

  it('has the guide and the two input sheets, headed by the schema columns anyone may type (no workflow or system columns)', () => {
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['填表说明', '合作单位', '合作项目']);
    for (const sheet of [partnersSheet, projectsSheet]) {
      const headers = (workbook.getWorksheet(sheet.name)!.getRow(1).values as unknown[]).slice(1);
      expect(headers).toEqual(formColumns(sheet).map((c) => c.header));
      for (const h of headers) {
        const column = (sheet.columns as readonly ColumnSpec[]).find((c) => c.header === h)!;
        expect(column.setBy === undefined || column.setBy === 'user' || column.lookup === true).toBe(true);
      }
    }
    const projectHeaders = workbook.getWorksheet('合作项目')!.getRow(1).values as unknown[];
    for (const hidden of ['项目编号', '教务处', '校长办公会', '签署日期', '状态', '更新时间']) expect(projectHeaders).not.toContain(hidden);
    const guide: string[] = [];
    workbook.getWorksheet('填表说明')!.eachRow((r) => guide.push((r.values as unknown[]).filter(Boolean).join(' ')));
    expect(guide.join('\n')).toMatch(/合作项目 开始日期 必填 日期，如 2024-03-01/);
    expect(guide.join('\n')).toMatch(/统一社会信用代码 必填（单位类型为「境外机构」时可不填）/);
  });

  it('has dropdowns from the schema and settings, and date and number checks with Chinese hints and errors', () => {
    const ws = workbook.getWorksheet('合作项目')!;
    const category = validationAt(ws, '合作类别')!;
    expect(category.type).toBe('list');
    expect(category.formulae[0]).toBe(`"${CATEGORIES.join(',')}"`);
    expect(validationAt(ws, '承办系部')!.formulae[0]).toBe(`"${defaultSettings().departments.join(',')}"`);
    const start = validationAt(ws, '开始日期')!;
    expect(start).toMatchObject({ type: 'date', showErrorMessage: true, errorTitle: '输入不符合要求', prompt: '请输入日期，如 2024-03-01' });
    expect(start.error).toContain('应为日期');
    const income = validationAt(ws, '预计收入（元）')!;
    expect(income).toMatchObject({ type: 'decimal', operator: 'greaterThanOrEqual' });
    expect(income.prompt).toMatch(/金额/);
    expect(validationAt(workbook.getWorksheet('合作单位')!, '单位类型')!.formulae[0]).toContain('境外机构');
  });

  it('protects the header and example rows and leaves the rows below open for typing', () => {
    for (const name of ['合作单位', '合作项目']) {
      const ws = workbook.getWorksheet(name)!;
      expect((ws as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection?.sheet).toBe(true);
      expect(ws.getRow(1).getCell(1).protection?.locked).not.toBe(false);
      expect(ws.getRow(2).getCell(1).protection?.locked).not.toBe(false);
      expect(ws.getRow(3).getCell(1).protection?.locked).toBe(false);
      expect(ws.getRow(500).getCell(3).protection?.locked).toBe(false);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    const sample = workbook.getWorksheet('合作项目')!.getRow(2);
    expect(String(sample.getCell(1).value)).toMatch(/^（示例）/);
    expect(sample.getCell(1).font?.color?.argb).toBe('FF808080');
  });

  it.skipIf(!SOFFICE)('LibreOffice keeps headers, dropdowns and protection, and the filled form it saves imports', { timeout: 300_000 }, async () => {
    const filled = new ExcelJS.Workbook();
    await filled.xlsx.readFile(path);
    fillFormSheet(filled, partnersSheet, [SAMPLE_PARTNERS[1] as unknown as RawCells]);
    fillFormSheet(filled, projectsSheet, [SAMPLE_PROJECTS[1] as unknown as RawCells]);
    await filled.xlsx.writeFile(join(dir, 'filled.xlsx'));
    const saved = convertAll([join(dir, 'filled.xlsx')], 'xlsx').get('filled.xlsx')!;
    const unzip = (part: string) => execFileSync('unzip', ['-p', saved, part], { encoding: 'utf8' });
    const sheet3 = unzip('xl/worksheets/sheet3.xml');
    expect(sheet3).toMatch(/<sheetProtection[^>]*sheet="(1|true)"/);
    expect(sheet3).toContain('<dataValidation');
    const lo = new ExcelJS.Workbook();
    await lo.xlsx.readFile(saved);
    expect((lo.getWorksheet('合作项目')!.getRow(1).values as unknown[]).slice(1)).toEqual(formColumns(projectsSheet).map((c) => c.header));

    const registry = join(dir, 'registry.xlsx');
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    const r = coop(['import', saved, '--registry', registry], { cwd: dir });
    expect(r.stdout).toContain('读取 2 行：新增 2 · 更新 0 · 未变 0 · 拒绝 0');
  });
});
