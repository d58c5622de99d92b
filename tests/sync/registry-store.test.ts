import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { REGISTRY_SHEETS, headersOf, sheetSpec } from '../../core/index.js';
import { backupPath } from '../../sync/src/stores/atomic-file.js';
import { anchorPath } from '../../sync/src/stores/chain-anchor.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function load(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

function headerRow(ws: ExcelJS.Worksheet): string[] {
  const values = ws.getRow(1).values as unknown[];
  return values.slice(1).map((v) => String(v ?? ''));
}

describe('coop init', () => {
  it('writes exactly the sheets and headers of the schema, with dropdowns and frozen headers', async () => {
    const dir = tempDir();
    const path = join(dir, 'registry.xlsx');
    const r = coop(['init', '--registry', path]);
    expect(r.code, r.stderr).toBe(0);
    const wb = await load(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(REGISTRY_SHEETS.map((s) => s.name));
    for (const sheet of REGISTRY_SHEETS) {
      const ws = wb.getWorksheet(sheet.name)!;
      expect(headerRow(ws)).toEqual(headersOf(sheet));
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    const projects = wb.getWorksheet('合作项目')!;
    const col = (header: string) => headersOf(sheetSpec('projects')).indexOf(header) + 1;
    const category = projects.getCell(2, col('合作类别')).dataValidation;
    expect(category.type).toBe('list');
    expect(category.formulae?.[0]).toContain('订单式人才培养');
    expect(projects.getCell(500, col('承办系部')).dataValidation.formulae?.[0]).toContain('数控技术应用专业教学团队');
    expect(projects.getCell(2, col('开始日期')).dataValidation.type).toBe('date');
    expect(projects.getCell(2, col('教务处')).dataValidation.formulae?.[0]).toBe('"TRUE,FALSE"');
    const settings = wb.getWorksheet('设置')!;
    const settingValues = settings.getSheetValues().flat().map(String);
    expect(settingValues).toContain('肇庆理工中等职业学校');
    expect(settingValues).toContain('ZQLG-HZ');
  });

  it('refuses to overwrite an existing registry', () => {
    const path = join(tempDir(), 'registry.xlsx');
    expect(coop(['init', '--registry', path]).code).toBe(0);
    const before = sha(path);
    const again = coop(['init', '--registry', path]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('已存在');
    expect(sha(path)).toBe(before);
  });
});

/** A registry as a person leaves it after editing by hand: columns moved, one of their own added, rows broken. */
async function handEdited(path: string): Promise<void> {
  expect(coop(['demo', '--dir', join(path, '..', 'demo')]).code).toBe(0);
  const wb = await load(join(path, '..', 'demo', 'registry.xlsx'));
  const ws = wb.getWorksheet('合作单位')!;
  // Move 单位名称 to the end, insert a column of the office's own before it.
  const nameCol = headerRow(ws).indexOf('单位名称') + 1;
  const names = ws.getColumn(nameCol).values.slice(1);
  ws.spliceColumns(nameCol, 1);
  const last = ws.columnCount + 1;
  ws.getColumn(last).values = ['走访记录', ...names.slice(1).map((_, i) => `第${i + 1}次走访`)];
  ws.getColumn(last + 1).values = names;
  const header = headerRow(ws);
  const cell = (row: number, h: string) => ws.getCell(row, header.indexOf(h) + 1);
  cell(2, '统一社会信用代码').value = '91441200MA4UXK3A2K'; // wrong check character
  cell(3, '联系电话').value = '12345';
  cell(4, '单位类型').value = '公司';
  const projects = wb.getWorksheet('合作项目')!;
  const ph = headerRow(projects);
  projects.getCell(2, ph.indexOf('结束日期') + 1).value = '明年';
  projects.getCell(3, ph.indexOf('预计收入（元）') + 1).value = -100;
  await wb.xlsx.writeFile(path);
  // A registry moved elsewhere takes its 审批记录 anchor along (docs/部署指南.md).
  copyFileSync(anchorPath(join(path, '..', 'demo', 'registry.xlsx')), anchorPath(path));
}

describe('a hand-edited registry', () => {
  it('coop validate lists every broken cell by sheet, row, column and rule, and changes nothing', async () => {
    const dir = tempDir();
    const path = join(dir, 'registry.xlsx');
    await handEdited(path);
    const before = sha(path);
    const r = coop(['validate', '--registry', path]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, -1)).toEqual([
      expect.stringMatching(/工作表「合作单位」 · 第 2 行 · 列「统一社会信用代码」 · 规则「统一社会信用代码」：.*校验位错误.*应为「J」/),
      expect.stringMatching(/工作表「合作单位」 · 第 3 行 · 列「联系电话」 · 规则「联系电话」/),
      expect.stringMatching(/工作表「合作单位」 · 第 4 行 · 列「单位类型」 · 规则「下拉选项」.*当前值：公司/),
      expect.stringMatching(/工作表「合作项目」 · 第 2 行 · 列「结束日期」 · 规则「日期」/),
      expect.stringMatching(/工作表「合作项目」 · 第 3 行 · 列「预计收入（元）」 · 规则「金额」/),
    ]);
    expect(lines.at(-1)).toContain('发现 5 个问题');
    expect(lines[0]).toContain(`文件 ${path}`);
    expect(sha(path)).toBe(before);
    expect(existsSync(backupPath(path))).toBe(false);
  });

  it('keeps the extra column and the moved order through a write', async () => {
    const dir = tempDir();
    const path = join(dir, 'registry.xlsx');
    await handEdited(path);
    const repaired = coop(['init', '--repair', '--registry', path]);
    expect(repaired.code, repaired.stderr).toBe(0);
    const ws = (await load(path)).getWorksheet('合作单位')!;
    const header = headerRow(ws);
    expect(header.slice(-2)).toEqual(['走访记录', '单位名称']);
    const visits = ws.getColumn(header.indexOf('走访记录') + 1).values.slice(2);
    const partners = ws
      .getColumn(header.indexOf('单位编号') + 1)
      .values.slice(2)
      .filter(Boolean);
    expect(partners.length).toBeGreaterThan(5);
    expect(visits).toEqual(partners.map((_, i) => `第${i + 1}次走访`));
    expect(ws.getCell(2, header.indexOf('单位名称') + 1).value).toBe('肇庆星湖数控机械有限公司');
    expect(existsSync(backupPath(path))).toBe(true);
  });
});

describe('writes', () => {
  it('are atomic and locked: concurrent updates from two stores both land', async () => {
    const path = join(tempDir(), 'registry.xlsx');
    expect(coop(['init', '--registry', path]).code).toBe(0);
    const a = new XlsxRegistryStore(path);
    const b = new XlsxRegistryStore(path);
    const note = (text: string) => ({ cells: { group: '学校', item: '学校名称', value: text, note: null } });
    await Promise.all(
      [a, b, a, b].map((store, i) =>
        store.update((data) => {
          data.settings.push(note(`并发写入 ${i}`));
          return { result: undefined, write: true };
        }),
      ),
    );
    const values = (await a.read()).settings.map((r) => r.cells.value);
    for (let i = 0; i < 4; i++) expect(values).toContain(`并发写入 ${i}`);
  });

  it('neutralise formula-like text in the file and restore it on read', async () => {
    const path = join(tempDir(), 'registry.xlsx');
    expect(coop(['init', '--registry', path]).code).toBe(0);
    const store = new XlsxRegistryStore(path);
    await store.update((data) => {
      data.settings.push({ cells: { group: '学校', item: '学校名称', value: '=HYPERLINK("http://evil","点我")', note: '+1' } });
      return { result: undefined, write: true };
    });
    const ws = (await load(path)).getWorksheet('设置')!;
    const raw = ws
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string' && v.includes('HYPERLINK'));
    expect(raw).toEqual([`'=HYPERLINK("http://evil","点我")`]);
    expect(
      ws
        .getSheetValues()
        .flat()
        .some((v) => typeof v === 'object' && v !== null && 'formula' in v),
    ).toBe(false);
    const back = (await store.read()).settings.at(-1)!.cells;
    expect(back).toMatchObject({ value: '=HYPERLINK("http://evil","点我")', note: '+1' });
  });
});
