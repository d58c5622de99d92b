// Hand-kept registers as people really have them, written by openpyxl (what pandas and scripts use): each lands, completely and correctly, or is refused naming what to fix.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';

/** Writes a workbook with openpyxl from {sheet: rows}; strings equal to an Excel error code become error cells, as openpyxl does. */
function workbook(path: string, sheets: Record<string, unknown[][]>): string {
  runOpenpyxl(
    `import sys, json, openpyxl
wb = openpyxl.Workbook()
wb.remove(wb.active)
for name, rows in json.loads(sys.argv[2]).items():
    ws = wb.create_sheet(name)
    for row in rows:
        ws.append(row)
wb.save(sys.argv[1])`,
    [path, JSON.stringify(sheets)],
  );
  return path;
}

const COUNTS = /读取 (\d+) 行：新增 (\d+) · 更新 (\d+) · 未变 (\d+) · 拒绝 (\d+)/;
function counts(stdout: string) {
  const m = COUNTS.exec(stdout);
  expect(m, stdout).not.toBeNull();
  const [read, inserted, updated, unchanged, rejected] = m!.slice(1).map(Number) as [number, number, number, number, number];
  expect(inserted + updated + unchanged + rejected).toBe(read);
  return { read, inserted, updated, unchanged, rejected };
}

const PROJECT_HEADER = ['项目名称', '合作单位', '承办系部', '合作类别', '合作内容', '开始日期', '结束日期', '成果权属', '负责人'];
const project = (title: string, partner: string, extra: Partial<Record<'category' | 'department', string>> = {}) => [
  title,
  partner,
  extra.department ?? '汽车运用与维修专业',
  extra.category ?? '实践教学基地',
  '共建校外实践教学基地。',
  '2026-09-01',
  '2027-08-31',
  '双方共有',
  '刘海',
];

describe.skipIf(!OPENPYXL_PYTHON)('legacy registers written by openpyxl', () => {
  if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);
  let dir: string;
  let registry: string;
  const run = (file: string, ...more: string[]) => coop(['import', file, '--registry', registry, '--rejects', join(dir, '问题.xlsx'), ...more], { cwd: dir });
  const read = () => new XlsxRegistryStore(registry).read();

  beforeEach(() => {
    dir = tempDir('coop-legacy-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
  }, 120_000);

  it('实践教学基地 rows without the two 第九条 columns land as 草稿 with a reminder; submit still enforces 第九条', async () => {
    const file = workbook(join(dir, '台账.xlsx'), {
      合作项目: [
        PROJECT_HEADER,
        project('新能源汽车实训基地', '广东鼎力汽车服务有限公司'),
        project('钣金喷涂实训基地', '广东鼎力汽车服务有限公司'),
        project('汽车美容培训', '广东鼎力汽车服务有限公司', { category: '培训服务' }),
      ],
    });
    const r = run(file);
    expect(counts(r.stdout)).toEqual({ read: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0 });
    expect(r.stdout.match(/提示：.*规则「第九条」/g)).toHaveLength(2);
    expect(r.code).toBe(0);
    const landed = (await read()).projects.filter((p) => p.cells.category === '实践教学基地' && String(p.cells.title).includes('实训基地'));
    expect(landed.map((p) => p.cells.status)).toEqual(['草稿', '草稿']);
    const submit = coop(['submit', landed[0]!.cells.projectId as string, '--registry', registry, '--by', 'shukong@zqlg.example.edu.cn'], { cwd: dir });
    expect(submit.code).toBe(1);
    expect(submit.stderr).toContain('第九条');
    expect(counts(run(file).stdout)).toEqual({ read: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 });
  });

  it('a one-sheet register creates or matches partners from the columns beside each project and links them', async () => {
    const header = ['序号', '合作单位', '统一社会信用代码', '单位类型', '联系人', '联系电话', ...PROJECT_HEADER.slice(0, 1), ...PROJECT_HEADER.slice(2)];
    const row = (n: number, partner: string, code: string | null, kind: string, contact: string, phone: string, title: string) => [
      n,
      partner,
      code,
      kind,
      contact,
      phone,
      title,
      ...project('', '', { category: '培训服务' }).slice(2),
    ];
    const file = workbook(join(dir, '一表台账.xlsx'), {
      Sheet1: [
        ['汽修专业校企合作登记表'],
        header,
        row(1, '肇庆市鸿运汽车修理有限公司', '91441200MA4W2T5Q0A', '企业', '陈强', '0758-2233445', '汽车维修技能培训'),
        row(2, '肇庆市鸿运汽车修理有限公司', '91441200MA4W2T5Q0A', '企业', '陈强', '0758-2233445', '发动机检修培训'),
        // Known partner, by credit code, under a slightly different name.
        row(3, '广东鼎力汽车服务公司', '91441200MA51B7CD66', '企业', '刘海', '13800138000', '新能源汽车维修培训'),
        row(4, 'Autohaus Berlin GmbH', null, '境外机构', 'Anna Schmidt', '+49 30 12345678', '德国汽车技术交流'),
      ],
    });
    const before = await read();
    const r = run(file);
    expect(r.stdout).not.toContain('尚未登记');
    expect(counts(r.stdout)).toEqual({ read: 4, inserted: 4, updated: 0, unchanged: 0, rejected: 0 });
    expect(r.stdout).toContain('新登记合作单位 2 个');
    const data = await read();
    expect(data.partners.length).toBe(before.partners.length + 2);
    const partnerOf = (title: string) => {
      const p = data.projects.find((x) => x.cells.title === title)!;
      return data.partners.find((x) => x.cells.partnerId === p.cells.partnerId)!.cells;
    };
    expect(partnerOf('汽车维修技能培训')).toMatchObject({
      name: '肇庆市鸿运汽车修理有限公司',
      creditCode: '91441200MA4W2T5Q0A',
      kind: '企业',
      contactName: '陈强',
      contactPhone: '0758-2233445',
    });
    expect(partnerOf('发动机检修培训').partnerId).toBe(partnerOf('汽车维修技能培训').partnerId);
    expect(partnerOf('新能源汽车维修培训').name).toBe('广东鼎力汽车服务有限公司');
    expect(partnerOf('德国汽车技术交流')).toMatchObject({ kind: '境外机构', contactPhone: '+49 30 12345678', creditCode: null });
    expect(counts(run(file).stdout)).toEqual({ read: 4, inserted: 0, updated: 0, unchanged: 4, rejected: 0 });
  });

  it('reports a sheet it cannot read by name, every problem of a row at once, and why a project’s partner in the same file was refused', async () => {
    const file = workbook(join(dir, '混合.xlsx'), {
      合作单位: [
        ['单位名称', '单位类型', '统一社会信用代码', '联系人', '诚信状况'],
        ['肇庆市新丰机电有限公司', '企业', '91441200MA4W2T5Q0Y', '王五', '良好'],
      ],
      合作项目: [
        PROJECT_HEADER,
        project('机电设备安装实训', '肇庆市新丰机电有限公司', { category: '培训服务' }),
        ['四处出错的项目', '广东鼎力汽车服务有限公司', '汽修专业', '订单式培养', '内容。', '2026-13-01', '2027-08-31', '谁都有', '刘海'],
      ],
      往年记录: [
        ['年份', '备注'],
        [2024, '已结束的合作 5 项'],
      ],
    });
    const r = run(file);
    expect(r.stdout).toMatch(/未导入：.*工作表「往年记录」有数据，但找不到可识别的表头/);
    expect(r.stdout).toMatch(
      /「合作项目」 · 第 2 行 · 列「合作单位」 · 规则「引用」：合作单位「肇庆市新丰机电有限公司」在本文件「合作单位」第 2 行，但该行未能导入（「统一社会信用代码」统一社会信用代码校验位错误/,
    );
    const row3 = r.stdout.split('\n').filter((l) => l.includes('第 3 行'));
    expect(row3).toHaveLength(4);
    expect(r.stdout).toMatch(/列「承办系部」 · 规则「下拉选项」：.*您是否指「汽车运用与维修专业」/);
    expect(r.stdout).toMatch(/列「合作类别」 · 规则「下拉选项」：.*您是否指「订单式人才培养」/);
    expect(r.stdout).toMatch(/第 3 行 · 列「开始日期」 · 规则「日期」/);
    expect(r.stdout).toMatch(/第 3 行 · 列「成果权属」/);
    expect(counts(r.stdout)).toEqual({ read: 3, inserted: 0, updated: 0, unchanged: 0, rejected: 3 });
    expect(r.code).toBe(1);
  });

  it('IDs go only to rows that land, never the file’s own, and a deleted ID never comes back', async () => {
    const before = await read();
    const ids = before.projects.map((p) => String(p.cells.projectId)).sort();
    const last = ids[ids.length - 1]!;
    // Delete the newest project by hand, as someone might in Excel.
    await new XlsxRegistryStore(registry).update((data) => {
      data.projects = data.projects.filter((p) => p.cells.projectId !== last);
      return { result: undefined, write: true };
    });
    const file = workbook(join(dir, '编号.xlsx'), {
      合作项目: [
        ['项目编号', ...PROJECT_HEADER],
        ['HZ2099-999', ...project('自带编号的项目', '广东鼎力汽车服务有限公司', { category: '培训服务' })],
        [null, ...project('合作单位不存在的项目', '不存在的公司', { category: '培训服务' })],
        [last, ...project('拿已删除编号的项目', '广东鼎力汽车服务有限公司', { category: '培训服务' })],
      ],
    });
    const r = run(file);
    expect(counts(r.stdout)).toEqual({ read: 3, inserted: 2, updated: 0, unchanged: 0, rejected: 1 });
    const data = await read();
    const idOf = (title: string) => String(data.projects.find((p) => p.cells.title === title)!.cells.projectId);
    const seq = (id: string) => Number(id.split('-')[1]);
    expect(idOf('自带编号的项目')).not.toBe('HZ2099-999');
    expect(idOf('拿已删除编号的项目')).not.toBe(last);
    // Consecutive after the deleted one: the refused row between them used up nothing.
    expect(seq(idOf('自带编号的项目'))).toBe(seq(last) + 1);
    expect(seq(idOf('拿已删除编号的项目'))).toBe(seq(last) + 2);
  });

  it('refuses an all-digit credit code stored as a number, error cells and over-long text, naming the cell; strips bidi controls, keeps joiners', async () => {
    const long = '长'.repeat(40_000);
    const file = workbook(join(dir, '单位.xlsx'), {
      合作单位: [
        ['单位名称', '单位类型', '统一社会信用代码', '联系人', '联系电话', '诚信状况', '备注'],
        ['深圳数字编码有限公司', '企业', 914403001922038000, '赵六', '13800138000', '良好', null],
        ['错误值有限公司', '企业', '#N/A', '#REF!', '13800138000', '良好', null],
        ['肇庆\u202Egpj.exe\u202C科技有限公司', '企业', '91441200MA4W2T5Q2G', '孙\u200D八', '+86 138 0013 8000', '良好', null],
        ['柏林应用技术大学', '境外机构', null, 'Hans', '0758-2233445', '良好', null],
      ],
    });
    const r = run(file);
    expect(r.stdout).toMatch(/第 2 行 · 列「统一社会信用代码」 · 规则「数字精度」：.*超过 15 位的数字已被截断.*「文本」格式/);
    expect(r.stdout).not.toMatch(/第 2 行.*校验位/);
    expect(r.stdout).toMatch(/第 3 行 · 列「统一社会信用代码」 · 规则「错误值」：单元格是错误值 #N\/A/);
    expect(r.stdout).toMatch(/第 3 行 · 列「联系人」 · 规则「错误值」：单元格是错误值 #REF!/);
    expect(r.stdout).toMatch(/第 5 行 · 列「联系电话」 · 规则「联系电话」：境外机构的联系电话请写成国际格式/);
    expect(counts(r.stdout)).toEqual({ read: 4, inserted: 1, updated: 0, unchanged: 0, rejected: 3 });
    const landed = (await read()).partners.find((p) => p.cells.creditCode === '91441200MA4W2T5Q2G')!.cells;
    expect(landed.name).toBe('肇庆gpj.exe科技有限公司');
    expect(landed.contactName).toBe('孙\u200D八');
    expect(landed.contactPhone).toBe('+86 138 0013 8000');

    // openpyxl itself cuts text to 32,767 characters; a CSV (here written by Python's csv module) does not.
    const csv = join(dir, '超长.csv');
    runOpenpyxl(
      `import sys, csv
with open(sys.argv[1], 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f)
    w.writerow(['单位名称', '单位类型', '统一社会信用代码', '联系人', '诚信状况', '备注'])
    w.writerow(['超长备注有限公司', '企业', '91441200MA4W2T5Q1D', '钱七', '良好', sys.argv[2]])`,
      [csv, long],
    );
    const l = run(csv);
    expect(l.stdout).toMatch(/第 2 行 · 列「备注」 · 规则「长度」：文字过长（40000 个字符），一个单元格最多 32767 个字符/);
    expect(counts(l.stdout)).toEqual({ read: 1, inserted: 0, updated: 0, unchanged: 0, rejected: 1 });
    // The rejects workbook must still open in Excel: the over-long cell is cut to what a cell holds.
    const note = runOpenpyxl(
      `import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['合作单位']
col = [c.value for c in ws[1]].index('备注')
print(len(ws.cell(row=2, column=col + 1).value))`,
      [join(dir, '问题.xlsx')],
    );
    expect(Number(note.trim())).toBe(32_767);
  });

  it('an import never changes a registered partner’s 诚信状况, nor a submitted project’s content; the rest of the row lands', async () => {
    const data = await read();
    const chengda = data.partners.find((p) => p.cells.integrity === '不良')!.cells;
    const submitted = data.projects.find((p) => p.cells.status !== '草稿')!.cells;
    const file = workbook(join(dir, '治理.xlsx'), {
      合作单位: [
        ['单位编号', '单位名称', '单位类型', '统一社会信用代码', '联系人', '诚信状况', '备注'],
        [chengda.partnerId, chengda.name, chengda.kind, chengda.creditCode, chengda.contactName, '良好', '已整改'],
      ],
      合作项目: [
        ['项目编号', '项目名称', '合作单位编号', '承办系部', '合作类别', '合作内容', '开始日期', '结束日期', '成果权属', '负责人'],
        [
          submitted.projectId,
          submitted.title,
          submitted.partnerId,
          submitted.department,
          submitted.category,
          '改过的合作内容。',
          submitted.startDate,
          submitted.endDate,
          submitted.ipOwnership,
          submitted.leader,
        ],
      ],
    });
    const r = run(file);
    expect(r.stdout).toMatch(/未采用：.*列「诚信状况」 · 规则「诚信状况」：.*仍为「不良」/);
    expect(r.stdout).toMatch(/未采用：.*列「合作内容」 · 规则「内容已锁定」/);
    expect(counts(r.stdout)).toEqual({ read: 2, inserted: 0, updated: 1, unchanged: 1, rejected: 0 });
    expect(r.code).toBe(1);
    const after = await read();
    expect(after.partners.find((p) => p.cells.partnerId === chengda.partnerId)!.cells).toMatchObject({ integrity: '不良', notes: '已整改' });
    expect(after.projects.find((p) => p.cells.projectId === submitted.projectId)!.cells.content).toBe(submitted.content);
  });
});
