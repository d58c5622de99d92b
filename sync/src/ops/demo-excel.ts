/** The Excel parts of `coop demo`: a blank form, filled department forms and a hand-typed register, their import; the archive. */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { creditCodeCheckCharacter, partnersSheet, projectsSheet, readSettings } from '../../../core/index.js';
import { SAMPLE_OFFICE, SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../demo/sample-data.js';
import { buildForm, fillFormSheet } from '../excel/form.js';
import { writeFileAtomic } from '../stores/atomic-file.js';
import { XlsxRegistryStore } from '../stores/xlsx-store.js';
import { exportArchive } from './export.js';
import { DEFAULT_FORM } from './form.js';
import { importFiles } from './import.js';
import type { OnProgress } from './progress.js';

const NEW_PARTNER_CODE17 = '91441200MA4WHT8K3';

/** A partner and project that only the department form brings (the demo registry does not have them yet). */
const NEW_PARTNER = {
  name: '肇庆鸿图精密模具有限公司',
  kind: '企业',
  creditCode: NEW_PARTNER_CODE17 + creditCodeCheckCharacter(NEW_PARTNER_CODE17),
  industry: '模具制造',
  industryLeader: '否',
  matchedMajor: '数控技术应用',
  contactName: '何俊',
  contactPhone: '13531234567',
  contactEmail: 'hejun@hongtu-mould.example.cn',
  integrity: '良好',
};

const NEW_PROJECT = {
  partnerName: NEW_PARTNER.name,
  title: '精密模具数控加工现代学徒制试点',
  department: '数控技术应用专业教学团队',
  category: '订单式人才培养',
  content: '企业师傅与学校教师双导师培养学徒，企业提供岗位与津贴，学校负责理论教学与学籍管理。',
  startDate: '2026-09-01',
  endDate: '2029-07-31',
  ipOwnership: '学校所有',
  income: 30000,
  expense: 12000,
  leader: '黄志强',
};

async function departmentForm(path: string, settings: ReturnType<typeof readSettings>['settings']): Promise<void> {
  const workbook = await buildForm(settings, { partner: SAMPLE_PARTNERS[0]!, project: SAMPLE_PROJECTS[0]! });
  fillFormSheet(workbook, partnersSheet, [
    SAMPLE_PARTNERS[0]!,
    { ...SAMPLE_PARTNERS[1]!, contactPhone: '0758-2288888' },
    NEW_PARTNER,
    // Deliberately broken: the check character of the credit code is wrong.
    { ...NEW_PARTNER, name: '肇庆某某五金制品厂', creditCode: `${NEW_PARTNER_CODE17}0`, contactEmail: 'wujin@example' },
  ]);
  fillFormSheet(workbook, projectsSheet, [
    SAMPLE_PROJECTS[0]!,
    NEW_PROJECT,
    // Deliberately broken: ends before it starts, and names a partner nobody registered.
    // Also a near miss of the category list: the import suggests 「订单式人才培养」 and never applies it silently.
    { ...NEW_PROJECT, title: '五金模具实训室共建', category: '订单式培养', startDate: '2026-09-01', endDate: '2026-03-01' },
    { ...NEW_PROJECT, title: '3D 打印创客工坊', partnerName: '肇庆市未登记科技有限公司' },
  ]);
  await writeFileAtomic(path, new Uint8Array(await workbook.xlsx.writeBuffer()));
}

/** A register typed by hand over the years: a merged title, a blank row, its own column names and order, dates as text. */
async function handTypedRegister(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('2025年台账');
  ws.addRow(['汽车运用与维修专业 校企合作项目台账（2025年）']);
  ws.mergeCells(1, 1, 1, 12);
  ws.addRow([]);
  ws.addRow([
    '序号',
    '合作项目名称',
    '合作单位',
    '申报系部',
    '合作类型',
    '起始日期',
    '终止日期',
    '主要内容',
    '成果权属',
    '预计收入',
    '预计支出',
    '负责人',
    '具备实践教学场所',
    '具备合格指导教师',
    '状态',
  ]);
  const p = SAMPLE_PROJECTS[1]!;
  ws.addRow([
    1,
    p.title,
    p.partnerName,
    ` ${p.department}　`,
    p.category,
    '2025年3月1日',
    '2028/2/29',
    p.content,
    p.ipOwnership,
    '0',
    '18,000.00',
    p.leader,
    '是',
    '是',
    null,
  ]);
  ws.addRow([
    2,
    '新能源汽车维修技能培训',
    p.partnerName,
    p.department,
    '培训服务',
    '2026.3.1',
    '2027-2-28',
    '为企业员工开展新能源汽车高压安全与维修培训。',
    '学校所有',
    '１２０００',
    3000,
    '刘海',
    null,
    null,
    null,
  ]);
  // Deliberately refused: an import may not set a project's status.
  ws.addRow([
    3,
    '汽车美容实训中心',
    p.partnerName,
    p.department,
    '实践教学基地',
    '2026-01-01',
    '2027-12-31',
    '共建汽车美容实训中心。',
    '学校所有',
    0,
    0,
    '刘海',
    '是',
    '是',
    '已生效',
  ]);
  await writeFileAtomic(path, new Uint8Array(await workbook.xlsx.writeBuffer()));
}

export async function runExcelDemo(
  dir: string,
  registryPath: string,
  now: Date,
  onProgress: OnProgress<'excel-forms' | 'excel-import'> = () => {},
): Promise<void> {
  const { settings } = readSettings(await new XlsxRegistryStore(registryPath).read());
  const blank = join(dir, DEFAULT_FORM);
  const form = join(dir, '数控技术应用专业-合作项目申请表.xlsx');
  const register = join(dir, '汽车运用与维修专业-合作台账.xlsx');
  const workbook = await buildForm(settings, { partner: SAMPLE_PARTNERS[0]!, project: SAMPLE_PROJECTS[0]! });
  await writeFileAtomic(blank, new Uint8Array(await workbook.xlsx.writeBuffer()));
  await departmentForm(form, settings);
  await handTypedRegister(register);
  onProgress({ step: 'excel-forms', files: [blank, form, register] });

  const result = await importFiles({ files: [form, register], registry: registryPath, now, rejectsPath: join(dir, '导入问题.xlsx') });
  onProgress({ step: 'excel-import', result });
}

/** Agreements the office signed before adopting the system, as its own list keeps them. */
async function signedBefore(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('已签协议');
  ws.addRow(['项目名称', '合作单位', '承办系部', '合作类别', '合作内容及双方权责', '开始日期', '结束日期', '成果权属', '项目负责人', '协议编号', '签署日期']);
  const society = SAMPLE_PARTNERS[3]!.name;
  ws.addRow([
    '工业机器人应用技术联合培训（2023）',
    society,
    '工业机器人技术应用专业',
    '培训服务',
    '联合开展工业机器人操作与编程培训。',
    '2023-09-01',
    '2025-08-31',
    '学校所有',
    '吴国栋',
    'ZQLG-2023-012',
    '2023-08-25',
  ]);
  ws.addRow([
    '智能制造产业学院共建',
    society,
    '机电技术应用专业',
    '教学科研基地',
    '共建智能制造产业学院，联合开发课程与实训项目。',
    '2024-03-01',
    '2029-02-28',
    '双方共有',
    '吴国栋',
    'ZQLG-2024-003',
    '2024-02-20',
  ]);
  await writeFileAtomic(path, new Uint8Array(await workbook.xlsx.writeBuffer()));
}

/** 历史登记: the office brings in agreements signed before the system; each becomes 已生效 (or 已到期) with its log entry. */
export async function runHistoricalDemo(dir: string, registryPath: string, now: Date, onProgress: OnProgress<'excel-historical'> = () => {}): Promise<void> {
  const file = join(dir, '合作交流处-系统启用前已签协议.xlsx');
  await signedBefore(file);
  const result = await importFiles({
    files: [file],
    registry: registryPath,
    now,
    historical: true,
    actor: SAMPLE_OFFICE,
    rejectsPath: join(dir, '导入问题-历史登记.xlsx'),
  });
  onProgress({ step: 'excel-historical', file, result });
}

/** The archive the office files at the end of the demo. */
export async function runArchiveDemo(dir: string, registryPath: string, now: Date, onProgress: OnProgress<'excel-export'> = () => {}): Promise<void> {
  const year = Number(now.toISOString().slice(0, 4));
  onProgress({ step: 'excel-export', result: await exportArchive(registryPath, join(dir, `合作交流档案-${year}.xlsx`), now, {}) });
}
