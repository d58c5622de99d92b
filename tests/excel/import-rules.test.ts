// What an import does to each row: inserted, updated, unchanged or rejected (with the rule), strict and dry runs, the rejects workbook.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { partnersSheet, projectsSheet, type RawCells } from '../../core/index.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { fillFormSheet } from '../../sync/src/excel/form.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';

const counts = (stdout: string) => {
  const m = /读取 (\d+) 行：新增 (\d+) · 更新 (\d+) · 未变 (\d+) · 拒绝 (\d+)/.exec(stdout);
  if (!m) throw new Error(`no summary in:\n${stdout}`);
  const [read, inserted, updated, unchanged, rejected] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { read, inserted, updated, unchanged, rejected };
};

async function filledForm(path: string, formPath: string, partners: RawCells[], projects: RawCells[]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(formPath);
  fillFormSheet(workbook, partnersSheet, partners);
  fillFormSheet(workbook, projectsSheet, projects);
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('import rules', () => {
  let dir: string;
  let registry: string;
  let form: string;
  const xinghu = SAMPLE_PARTNERS[0] as unknown as RawCells;
  const project = SAMPLE_PROJECTS[0] as unknown as RawCells;

  beforeAll(async () => {
    dir = tempDir('coop-import-rules-');
    registry = join(dir, 'registry.xlsx');
    form = join(dir, 'blank.xlsx');
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    expect(coop(['form', '--out', form]).code).toBe(0);
  });

  it('the blank form imports nothing: its example row is skipped', () => {
    const r = coop(['import', form, '--registry', registry], { cwd: dir });
    expect(counts(r.stdout)).toEqual({ read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 });
  });

  it('inserts new partners and projects with IDs, resolving the project partner by name within the same file', async () => {
    const file = await filledForm(join(dir, 'first.xlsx'), form, [xinghu], [project]);
    const r = coop(['import', file, '--registry', registry], { cwd: dir });
    expect(counts(r.stdout)).toEqual({ read: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0 });
    expect(r.code).toBe(0);
    // Not a terminal: progress comes as plain lines on stderr, no bar redrawn with carriage returns.
    expect(r.stderr).toContain('读取文件 1/1（100%）');
    expect(r.stderr).toContain('合并记录 2/2（100%）');
    expect(r.stderr).not.toContain('\r');
    const data = await new XlsxRegistryStore(registry).read();
    expect(data.partners[0]!.cells).toMatchObject({ partnerId: 'P0001', name: xinghu.name });
    expect(data.projects[0]!.cells).toMatchObject({
      projectId: 'HZ2026-001',
      partnerId: 'P0001',
      partnerName: xinghu.name,
      status: '草稿',
      startDate: '2025-09-01',
      income: 120000,
      expense: 45000.5,
    });
  });

  it('dry run reports the same but writes nothing; strict refuses the whole batch when one row is bad', async () => {
    const before = readFileSync(registry);
    const file = await filledForm(
      join(dir, 'second.xlsx'),
      form,
      [{ ...xinghu, contactPhone: '0758-2288888' }],
      [project, { ...project, title: '新项目', startDate: '2026-09-01', endDate: '2026-01-01' }],
    );
    const dry = coop(['import', file, '--registry', registry, '--dry-run', '--rejects', join(dir, 'dry-rejects.xlsx')], { cwd: dir });
    expect(counts(dry.stdout)).toEqual({ read: 3, inserted: 0, updated: 1, unchanged: 1, rejected: 1 });
    expect(dry.stdout).toContain('试运行');
    expect(readFileSync(registry).equals(before)).toBe(true);
    expect(() => readFileSync(join(dir, 'dry-rejects.xlsx'))).toThrow();

    const strict = coop(['import', file, '--registry', registry, '--strict', '--rejects', join(dir, 'strict-rejects.xlsx')], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('严格模式');
    expect(readFileSync(registry).equals(before)).toBe(true);
    expect(readFileSync(join(dir, 'strict-rejects.xlsx')).length).toBeGreaterThan(0);

    const loose = coop(['import', file, '--registry', registry, '--rejects', join(dir, 'rejects.xlsx')], { cwd: dir });
    expect(counts(loose.stdout)).toEqual({ read: 3, inserted: 0, updated: 1, unchanged: 1, rejected: 1 });
    const data = await new XlsxRegistryStore(registry).read();
    expect(data.partners[0]!.cells.contactPhone).toBe('0758-2288888');
    expect(data.projects).toHaveLength(1);

    // The rejects workbook: the row verbatim under the registry's headers, and a 问题 column locating the fault.
    const rejects = new ExcelJS.Workbook();
    await rejects.xlsx.readFile(join(dir, 'rejects.xlsx'));
    const ws = rejects.getWorksheet('合作项目')!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers).toContain('项目名称');
    expect(headers.at(-1)).toBe('问题');
    const row = ws.getRow(2);
    expect(row.getCell(headers.indexOf('项目名称') + 1).value).toBe('新项目');
    expect((row.getCell(headers.indexOf('结束日期') + 1).value as Date).toISOString().slice(0, 10)).toBe('2026-01-01');
    expect(String(row.getCell(headers.length).value)).toMatch(
      /second\.xlsx · 工作表「合作项目」 · 第 4 行 · 列「结束日期」 · 规则「日期先后」：结束日期不能早于开始日期/,
    );
    expect(ws.rowCount).toBe(2);
  });

  it('the fixed rejects workbook imports again', async () => {
    const rejects = new ExcelJS.Workbook();
    await rejects.xlsx.readFile(join(dir, 'rejects.xlsx'));
    const ws = rejects.getWorksheet('合作项目')!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    ws.getRow(2).getCell(headers.indexOf('结束日期') + 1).value = new Date(Date.UTC(2027, 0, 1));
    await rejects.xlsx.writeFile(join(dir, 'fixed.xlsx'));
    const r = coop(['import', join(dir, 'fixed.xlsx'), '--registry', registry], { cwd: dir });
    expect(counts(r.stdout)).toEqual({ read: 1, inserted: 1, updated: 0, unchanged: 0, rejected: 0 });
  });

  it('rows that set review, meeting, signing or status columns are refused, as are duplicates and unknown partners', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('项目');
    ws.addRow([
      '项目编号',
      '项目名称',
      '合作单位编号',
      '承办系部',
      '合作类别',
      '合作内容及双方权责',
      '开始日期',
      '结束日期',
      '成果权属',
      '项目负责人',
      '教务处',
      '状态',
      '签署日期',
    ]);
    const base = [null, '企业捐赠设备', 'P0001', '数控技术应用专业教学团队', '培训服务', '捐赠。', '2026-01-01', '2026-12-31', '学校所有', '黄志强'];
    ws.addRow([...base, true, null, null]);
    ws.addRow([...base.slice(0, 1), '另一个项目', ...base.slice(2), null, '已批准', null]);
    ws.addRow([...base.slice(0, 1), '再一个项目', ...base.slice(2), null, null, '2026-02-01']);
    ws.addRow([...base.slice(0, 1), '没登记的单位', 'P0999', ...base.slice(3), null, null, null]);
    ws.addRow([...base.slice(0, 1), '重复的项目', ...base.slice(2), null, null, null]);
    ws.addRow([...base.slice(0, 1), '重复的项目', ...base.slice(2), null, null, null]);
    ws.addRow([...base.slice(0, 1), '正常的项目', ...base.slice(2), false, '草稿', null]);
    await wb.xlsx.writeFile(join(dir, 'sneaky.xlsx'));
    const r = coop(['import', join(dir, 'sneaky.xlsx'), '--registry', registry, '--rejects', join(dir, 'sneaky-rejects.xlsx')], { cwd: dir });
    const c = counts(r.stdout);
    expect(c).toEqual({ read: 7, inserted: 2, updated: 0, unchanged: 0, rejected: 5 });
    expect(c.read).toBe(c.inserted + c.updated + c.unchanged + c.rejected);
    expect(r.stdout).toMatch(/第 2 行 · 列「教务处」 · 规则「系统列」：导入不能设置「教务处」/);
    expect(r.stdout).toMatch(/第 3 行 · 列「状态」 · 规则「系统列」/);
    expect(r.stdout).toMatch(/第 4 行 · 列「签署日期」 · 规则「系统列」/);
    expect(r.stdout).toMatch(/第 5 行 · 列「合作单位编号」 · 规则「引用」：合作单位「P0999」尚未登记/);
    expect(r.stdout).toMatch(/第 7 行 · 规则「重复」：与本次导入中的 .*第 6 行 是同一条记录/);
    const data = await new XlsxRegistryStore(registry).read();
    expect(data.projects.map((p) => p.cells.title)).toEqual([project.title, '新项目', '重复的项目', '正常的项目']);
    expect(data.projects.every((p) => p.cells.review_academic === false && p.cells.signedAt === null)).toBe(true);
  });

  it('partner names that collide after normalisation are refused, also when a known partner is renamed by ID', async () => {
    const file = await filledForm(
      join(dir, 'collide.xlsx'),
      form,
      [
        { ...xinghu, contactPhone: '0758-2288888', name: ' 肇庆星湖数控机械有限公司 ' },
        { ...xinghu, name: '肇庆（星湖）数控', creditCode: null, kind: '境外机构', contactPhone: '+65 6123 4567' },
        { ...xinghu, name: '肇庆(星湖)数控', creditCode: null, kind: '境外机构', contactPhone: '+65 6123 4567' },
      ],
      [],
    );
    const r = coop(['import', file, '--registry', registry], { cwd: dir });
    // The first is the known partner with stray spaces (unchanged); the third names the second again.
    expect(counts(r.stdout)).toEqual({ read: 3, inserted: 1, updated: 0, unchanged: 1, rejected: 1 });

    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('合作单位').addRows([
      ['单位编号', '单位名称', '单位类型', '联系人', '诚信状况', '统一社会信用代码'],
      ['P0001', '肇庆（星湖）数控', '企业', '李明', '良好', xinghu.creditCode],
    ]);
    await wb.xlsx.writeFile(join(dir, 'rename.xlsx'));
    const rename = coop(['import', join(dir, 'rename.xlsx'), '--registry', registry], { cwd: dir });
    expect(counts(rename.stdout)).toEqual({ read: 1, inserted: 0, updated: 0, unchanged: 0, rejected: 1 });
    expect(rename.stdout).toMatch(/列「单位名称」 · 规则「唯一」：单位名称与合作单位 P0002重复/);
  });
});
