// Old formats departments still send — .xls (BIFF8) and .ods written by LibreOffice, CSV in GBK — import directly, like the .xlsx of the same register.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { SOFFICE, NO_SOFFICE_REASON } from '../helpers/libreoffice.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { convertAll, legacyRegister } from './fixtures.js';

const COUNTS = /读取 (\d+) 行：新增 (\d+) · 更新 (\d+) · 未变 (\d+) · 拒绝 (\d+)/;

function counts(stdout: string): number[] {
  const m = COUNTS.exec(stdout);
  expect(m, stdout).not.toBeNull();
  const [read, ...rest] = m!.slice(1).map(Number) as [number, ...number[]];
  expect(rest.reduce((a, b) => a + b, 0)).toBe(read);
  return [read, ...rest];
}

async function registryCells(path: string) {
  const data = await new XlsxRegistryStore(path).read();
  return { partners: data.partners.map((r) => r.cells), projects: data.projects.map((r) => r.cells) };
}

describe.skipIf(!SOFFICE)('.xls and .ods written by LibreOffice', () => {
  if (!SOFFICE) console.warn(`[skip] ${NO_SOFFICE_REASON}`);
  let dir: string;
  let base: string;
  const files = new Map<string, string>();

  beforeAll(() => {
    dir = tempDir('coop-old-formats-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    base = join(dir, 'registry.xlsx');
    const source = join(dir, '历年台账.fods');
    writeFileSync(source, legacyRegister());
    files.set('xlsx', convertAll([source], 'xlsx').get('历年台账.fods')!);
    files.set('xls', convertAll([source], 'xls:MS Excel 97').get('历年台账.fods')!);
    files.set('ods', convertAll([source], 'ods').get('历年台账.fods')!);
  }, 300_000);

  it('each lands exactly as the .xlsx of the same register does, and re-importing changes nothing', async () => {
    const results = new Map<string, Awaited<ReturnType<typeof registryCells>>>();
    for (const [kind, file] of files) {
      const registry = join(dir, `registry-${kind}.xlsx`);
      copyFileSync(base, registry);
      const r = coop(['import', file, '--registry', registry, '--rejects', join(dir, `rejects-${kind}.xlsx`)], { cwd: dir });
      expect(r.stderr, kind).not.toMatch(/无法|不是|错误/);
      expect(counts(r.stdout), kind).toEqual([5, 4, 0, 0, 1]);
      expect(r.stdout, kind).toMatch(/工作表「历年合作台账」 · 第 8 行 · 列「开始时间」 · 规则「日期」/);
      results.set(kind, await registryCells(registry));
      const again = coop(['import', file, '--registry', registry, '--rejects', join(dir, `rejects-${kind}.xlsx`)], { cwd: dir });
      expect(counts(again.stdout), kind).toEqual([5, 0, 0, 4, 1]);
    }
    const xlsx = results.get('xlsx')!;
    const project = xlsx.projects.find((p) => p.title === '中高职贯通三二分段试点')!;
    expect(project).toMatchObject({ category: '联合办学（三二分段）', startDate: '2026-04-01', endDate: '2027-03-31', income: 80000 });
    expect(xlsx.partners.find((p) => p.name === '肇庆（高新区）智造科技有限公司')).toMatchObject({
      creditCode: '91441200MA4UXK3A2J',
      contactPhone: '13800138000',
    });
    // updatedAt is the import's own clock (COOP_NOW), so whole rows compare.
    expect(results.get('xls')).toEqual(xlsx);
    expect(results.get('ods')).toEqual(xlsx);
  }, 300_000);
});

describe.skipIf(!OPENPYXL_PYTHON)('CSV written in GBK', () => {
  if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);
  it('a GBK CSV (what Excel and WPS on Chinese Windows save) imports with every character intact; re-import changes nothing', async () => {
    const dir = tempDir('coop-gbk-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    const registry = join(dir, 'registry.xlsx');
    const csv = join(dir, '学前教育台账.csv');
    // Python's own codec writes the GBK bytes: an independent encoder.
    runOpenpyxl(
      `import sys, csv
rows = [['学前教育专业合作登记（２０２６）','','','','','','','','',''],
        ['合作单位','项目名称','承办系部','合作类别','开始日期','结束日期','合作内容及双方权责','成果权属','项目负责人','预计收入（元）'],
        ['肇庆市端州区第一幼儿园','幼儿园教师跟岗研修（秋季）','学前教育专业','培训服务','2026/9/1','2027/6/30','跟岗研修，双方共同指导。','学校所有','林小燕','1,500']]
with open(sys.argv[1], 'w', encoding='gbk', newline='') as f:
    csv.writer(f).writerows(rows)`,
      [csv],
    );
    const r = coop(['import', csv, '--registry', registry], { cwd: dir });
    expect(r.stderr).not.toMatch(/无法|不是|错误/);
    expect(counts(r.stdout)).toEqual([1, 1, 0, 0, 0]);
    const data = await new XlsxRegistryStore(registry).read();
    const project = data.projects.find((p) => p.cells.title === '幼儿园教师跟岗研修（秋季）')!.cells;
    expect(project).toMatchObject({
      department: '学前教育专业',
      startDate: '2026-09-01',
      endDate: '2027-06-30',
      income: 1500,
      content: '跟岗研修，双方共同指导。',
      leader: '林小燕',
    });
    expect(data.partners.find((p) => p.cells.partnerId === project.partnerId)!.cells.name).toBe('肇庆市端州区第一幼儿园');
    expect(counts(coop(['import', csv, '--registry', registry], { cwd: dir }).stdout)).toEqual([1, 0, 0, 1, 0]);
  }, 120_000);
});
