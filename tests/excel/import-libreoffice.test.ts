// Imports workbooks that LibreOffice wrote from hand-made ODS/CSV sources, one quirk of real registers at a time.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { SOFFICE } from '../helpers/libreoffice.js';
import { CSV_UTF8, convertAll, legacyRegister } from './fixtures.js';

describe.skipIf(!SOFFICE)('import of workbooks written by LibreOffice', () => {
  let dir: string;
  let registry: string;
  let converted: Map<string, string>;

  beforeAll(() => {
    dir = tempDir('coop-import-lo-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
    const legacy = legacyRegister();
    writeFileSync(join(dir, 'legacy.fods'), legacy);
    writeFileSync(
      join(dir, 'csvregister.csv'),
      [
        '学前教育专业合作登记,,,,,,,,,,',
        ',,,,,,,,,,',
        '合作单位,项目名称,承办系部,合作类别,开始日期,结束日期,合作内容及双方权责,成果权属,项目负责人,预计收入（元）',
        '肇庆市端州区第一幼儿园,幼儿园教师跟岗研修,学前教育专业,培训服务,2026/9/1,2027/6/30,跟岗研修。,学校所有,林小燕,"1,500"',
      ].join('\n'),
    );
    converted = new Map([...convertAll([join(dir, 'legacy.fods')], 'xlsx'), ...convertAll([join(dir, 'csvregister.csv')], 'xlsx', CSV_UTF8)]);
  }, 300_000);

  it('imports a register with a title, blank rows, a hidden stale column, synonyms, rich text, links, formulas and dates in every spelling', async () => {
    const r = coop(['import', converted.get('legacy.fods')!, '--registry', registry, '--rejects', join(dir, 'rejects.xlsx')], { cwd: dir });
    expect(r.stdout).toContain('读取 5 行：新增 4 · 更新 0 · 未变 0 · 拒绝 1');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/第 8 行 · 列「开始时间」 · 规则「日期」/);

    const data = await new XlsxRegistryStore(registry).read();
    const byTitle = (t: string) => data.projects.find((p) => p.cells.title === t)?.cells;
    const partnerId = (name: string) => data.partners.find((p) => p.cells.name === name)?.cells.partnerId;

    const ev = byTitle('新能源汽车高压安全培训')!;
    expect(ev).toMatchObject({
      partnerId: partnerId('广东鼎力汽车服务有限公司'),
      startDate: '2026-03-01',
      endDate: '2027-02-28',
      income: 12000,
      expense: 3000.5,
      status: '草稿',
    });
    expect(ev.projectId).toMatch(/^HZ2026-\d{3}$/);

    const lianhe = byTitle('中高职贯通三二分段试点')!;
    expect(lianhe).toMatchObject({
      partnerId: partnerId('肇庆市智能制造行业协会'),
      department: '工业机器人技术应用专业',
      category: '联合办学（三二分段）',
      startDate: '2026-04-01',
      endDate: '2027-03-31',
      income: 80000,
      leader: '吴国栋',
    });
    expect(byTitle('数控机床维护技能竞赛合作')).toMatchObject({
      partnerId: partnerId('肇庆星湖数控机械有限公司'),
      startDate: '2026-05-01',
      endDate: '2027-04-30',
      expense: 0.3,
    });
    expect(byTitle('（旧标题，已作废）')).toBeUndefined();
    expect(byTitle('日期写错的项目')).toBeUndefined();

    const partner = data.partners.find((p) => p.cells.name === '肇庆（高新区）智造科技有限公司')!.cells;
    expect(partner).toMatchObject({ creditCode: '91441200MA4UXK3A2J', contactPhone: '13800138000', contactEmail: 'liangxiao@zzkj.example.cn', kind: '企业' });
    expect(partner.partnerId).toMatch(/^P\d{4}$/);
  });

  it('imports again with nothing to do: every row unchanged, the registry file untouched', () => {
    const before = readFileSync(registry);
    const r = coop(['import', converted.get('legacy.fods')!, '--registry', registry, '--rejects', join(dir, 'rejects2.xlsx')], { cwd: dir });
    expect(r.stdout).toContain('读取 5 行：新增 0 · 更新 0 · 未变 4 · 拒绝 1');
    expect(readFileSync(registry).equals(before)).toBe(true);
  });

  it('imports a CSV register that LibreOffice saved as .xlsx (numbers and dates as LibreOffice guessed them)', async () => {
    const r = coop(['import', converted.get('csvregister.csv')!, '--registry', registry], { cwd: dir });
    expect(r.stdout).toContain('读取 1 行：新增 1 · 更新 0 · 未变 0 · 拒绝 0');
    expect(r.code).toBe(0);
    const data = await new XlsxRegistryStore(registry).read();
    expect(data.projects.find((p) => p.cells.title === '幼儿园教师跟岗研修')?.cells).toMatchObject({
      startDate: '2026-09-01',
      endDate: '2027-06-30',
      income: 1500,
    });
  });
});
