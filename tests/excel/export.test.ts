// The archive workbook: cover and digest, print-ready data sheets, statistics, filters, injection-safe text; LibreOffice reads it cell by cell.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveColumns, schoolDate, STATUSES } from '../../core/index.js';
import { archiveDigest } from '../../sync/src/excel/archive.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { SOFFICE } from '../helpers/libreoffice.js';
import { convertAll, sheetValues } from './fixtures.js';

const NOW = new Date('2026-11-24T02:00:00Z');

describe('coop export', () => {
  let dir: string;
  let registry: string;
  let archive: string;
  let workbook: ExcelJS.Workbook;
  let stdout: string;

  beforeAll(async () => {
    dir = tempDir('coop-export-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
    await new XlsxRegistryStore(registry).update((data) => {
      data.partners[0]!.cells.notes = '=HYPERLINK("http://evil.example","点我")';
      data.projects[0]!.cells.content = '@SUM(1,2) 与 +86 开头的文字';
      data.projects[1]!.cells.reviewRemarks = '-1 表示未定';
      data.evaluations.push({
        cells: {
          projectId: data.projects[2]!.cells.projectId!,
          year: 2025,
          timing: '把握较好',
          teacherPractice: 3,
          studentsTrained: 40,
          baseBuilding: null,
          labBuilding: null,
          researchResults: null,
          serviceIncome: 1234.5,
          grade: '良好',
          reporter: '林小燕',
          reportedAt: '2025-12-20',
        },
      });
      data.outcomes.push({
        cells: {
          projectId: data.projects[0]!.cells.projectId!,
          title: '数控加工实训教材',
          rightType: '著作权',
          holder: '共有',
          registrationNo: null,
          date: '2026-06-01',
        },
      });
      return { result: undefined, write: true };
    });
    archive = join(dir, '合作交流档案-2026.xlsx');
    const r = coop(['export', '--registry', registry, '--out', archive]);
    expect(r.code).toBe(0);
    stdout = r.stdout;
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(archive);
  }, 300_000);

  it('has a cover, every registry sheet and statistics, with counts and a SHA-256 that match the data', async () => {
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      '封面',
      '登记簿',
      '审查与审议',
      '统计',
      '合作单位',
      '合作项目',
      '审批记录',
      '年度评价',
      '成果登记',
    ]);
    // The detail sheets keep every field for checking and re-import but do not print.
    expect(workbook.worksheets.filter((w) => w.state === 'hidden').map((w) => w.name)).toEqual(['合作单位', '合作项目', '审批记录', '年度评价', '成果登记']);
    const data = await new XlsxRegistryStore(registry).read();
    deriveColumns(data, schoolDate(NOW));
    const digest = archiveDigest(data, schoolDate(NOW));
    const cover: unknown[][] = [];
    workbook.getWorksheet('封面')!.eachRow((r) => cover.push((r.values as unknown[]).slice(1)));
    expect(cover[0]![0]).toBe('肇庆理工中等职业学校 对外交流合作档案');
    expect(cover).toContainEqual(['学校', '肇庆理工中等职业学校']);
    expect(cover).toContainEqual(['导出时间', '2026-11-24 10:00:00']);
    expect(cover).toContainEqual(['筛选条件', '全部（未筛选）']);
    expect(cover).toContainEqual(['合作单位', data.partners.length]);
    expect(cover).toContainEqual(['合作项目', data.projects.length]);
    expect(cover).toContainEqual(['年度评价', 1]);
    expect(cover).toContainEqual(['数据校验值（SHA-256）', digest]);
    expect(stdout).toContain(digest);
    expect(workbook.getWorksheet('合作项目')!.rowCount).toBe(data.projects.length + 1);
  });

  it('is archive-grade: real dates, ¥ money, frozen headers, autofilter, A4 landscape, repeated header rows, page footer, properties', () => {
    const ws = workbook.getWorksheet('合作项目')!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const cell = (header: string) => ws.getRow(2).getCell(headers.indexOf(header) + 1);
    expect(cell('开始日期').value).toBeInstanceOf(Date);
    expect((cell('开始日期').value as Date).toISOString()).toBe('2025-09-01T00:00:00.000Z');
    expect(cell('开始日期').numFmt).toBe('yyyy-mm-dd');
    expect(typeof cell('预计收入（元）').value).toBe('number');
    expect(cell('预计收入（元）').numFmt).toContain('¥');
    expect(cell('状态').value).toBe('已生效'); // the demo signs HZ2026-001
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9 });
    expect(ws.headerFooter.oddFooter).toContain('第 &P 页 共 &N 页');
    expect(workbook.getWorksheet('登记簿')!.headerFooter.oddFooter).toContain('第 &P 页 共 &N 页');
    expect(ws.getColumn(headers.indexOf('合作内容及双方权责') + 1).width).toBeGreaterThan(ws.getColumn(headers.indexOf('状态') + 1).width!);
    const workbookXml = execFileSync('unzip', ['-p', archive, 'xl/workbook.xml'], { encoding: 'utf8' });
    expect(workbookXml).toMatch(/_xlnm\.Print_Titles[^>]*>(&apos;)?合作项目(&apos;)?!\$1:\$1/);
    expect(workbook.title).toBe('肇庆理工中等职业学校 对外交流合作档案');
    expect(workbook.creator).toBe('coop-registry');
    expect(workbook.company).toBe('肇庆理工中等职业学校');
  });

  it('neutralises text a spreadsheet could take for a formula', () => {
    const partners = workbook.getWorksheet('合作单位')!;
    const headers = (partners.getRow(1).values as unknown[]).slice(1) as string[];
    const notes = partners.getRow(2).getCell(headers.indexOf('备注') + 1).value;
    expect(notes).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    const projects = workbook.getWorksheet('合作项目')!;
    const ph = (projects.getRow(1).values as unknown[]).slice(1) as string[];
    expect(projects.getRow(2).getCell(ph.indexOf('合作内容及双方权责') + 1).value).toBe("'@SUM(1,2) 与 +86 开头的文字");
    expect(projects.getRow(3).getCell(ph.indexOf('审查意见') + 1).value).toBe("'-1 表示未定");
    projects.eachRow((row) => row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('counts projects by category × status, department and year in 统计', () => {
    const rows: unknown[][] = [];
    workbook.getWorksheet('统计')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const header = rows.find((r) => r[0] === '合作类别')!;
    expect(header).toEqual(['合作类别', ...STATUSES, '合计']);
    const total = rows.find((r) => r[0] === '合计')!;
    expect(total.at(-1)).toBe(workbook.getWorksheet('合作项目')!.rowCount - 1);
    expect(rows.some((r) => r[0] === '数控技术应用专业教学团队')).toBe(true);
    expect(rows.some((r) => r[0] === '预计收入合计' && typeof r[1] === 'number')).toBe(true);
    expect(rows.some((r) => r[0] === '逾期未填报的年度评价')).toBe(true);
  });

  it('filters by status and year, and refuses an unknown status in Chinese', async () => {
    const out = join(dir, 'drafts.xlsx');
    expect(coop(['export', '--registry', registry, '--out', out, '--status', '草稿', '--year', '2026']).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const cover: unknown[][] = [];
    wb.getWorksheet('封面')!.eachRow((r) => cover.push((r.values as unknown[]).slice(1)));
    expect(cover).toContainEqual(['筛选条件', '合作期限与 2026 年有交集的项目；状态为「草稿」的项目']);
    const none = coop(['export', '--registry', registry, '--out', join(dir, 'none.xlsx'), '--year', '2019']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('没有符合筛选条件的项目（合作期限与 2019 年有交集的项目），未生成档案');
    expect(existsSync(join(dir, 'none.xlsx'))).toBe(false);
    const bad = coop(['export', '--registry', registry, '--out', join(dir, 'bad.xlsx'), '--status', '进行中']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status 应为以下之一：草稿');
  });

  it('imported back into the same registry changes nothing', () => {
    const r = coop(['import', archive, '--registry', registry], { cwd: dir });
    expect(r.stdout).toMatch(/新增 0 · 更新 0 · 未变 \d+ · 拒绝 0/);
    expect(r.code).toBe(0);
  });

  it.skipIf(!SOFFICE)('LibreOffice reads the same cells, and its re-saved copy imports back unchanged', { timeout: 300_000 }, async () => {
    const saved = convertAll([archive], 'xlsx').get('合作交流档案-2026.xlsx')!;
    const ours = await sheetValues(archive);
    const theirs = await sheetValues(saved);
    expect([...theirs.keys()]).toEqual([...ours.keys()]);
    for (const [name, rows] of ours) {
      const other = theirs.get(name)!;
      expect(other.length, name).toBe(rows.length);
      rows.forEach((row, r) => {
        row.forEach((value, c) => {
          const mine = typeof value === 'boolean' ? Number(value) : value;
          const lo = typeof other[r]?.[c] === 'boolean' ? Number(other[r]?.[c]) : (other[r]?.[c] ?? null);
          expect(lo, `${name}!R${r + 1}C${c + 1}`).toEqual(mine === false ? 0 : mine);
        });
      });
    }
    const r = coop(['import', saved, '--registry', registry], { cwd: dir });
    expect(r.stdout).toMatch(/新增 0 · 更新 0 · 未变 \d+ · 拒绝 0/);
  });
});
