// A registry set up the way the office would: opened, initialised, 设置 filled in, triggers installed, a partner registered.
import { ANCHOR_PROPERTY } from '../../apps-script/src/log.js';
import {
  anchorOf,
  appendLogEntries,
  creditCodeCheckCharacter,
  REVIEW_DEPARTMENT_NAMES,
  reviewLogSheet,
  type RawCells,
  type ReviewDepartment,
  type ReviewLogRow,
} from '../../core/index.js';
import { Harness, type HarnessOptions } from './fake/harness.js';

export { FORGED_APPROVAL } from '../helpers/forged-row.js';

export const OWNER = 'admin@zqlg.edu.cn';
export const OFFICE = 'office@zqlg.edu.cn';
export const STAFF = 'teacher@zqlg.edu.cn';
export const STRANGER = 'visitor@zqlg.edu.cn';
export const APPROVERS: Record<ReviewDepartment, string> = Object.fromEntries(
  REVIEW_DEPARTMENT_NAMES.map((d, i) => [d, `reviewer${i + 1}@zqlg.edu.cn`]),
) as Record<ReviewDepartment, string>;

export const CREDIT_CODE = `91441200MA4W12345${creditCodeCheckCharacter('91441200MA4W12345')}`;

/** Writes a row of header → value into a sheet as `user` would paste it (one multi-cell edit). */
export function pasteRecord(h: Harness, sheetName: string, row: number, record: Record<string, unknown>, user: string) {
  const cols = Object.keys(record).map((header) => h.headerCol(sheetName, header));
  const min = Math.min(...cols);
  const max = Math.max(...cols);
  const current = h.log.quiet(
    () =>
      h
        .sheet(sheetName)
        .getRange(row, min, 1, max - min + 1)
        .getValues()[0]!,
  );
  for (const [header, value] of Object.entries(record)) current[h.headerCol(sheetName, header) - min] = value;
  const a1 = h.log.quiet(() =>
    h
      .sheet(sheetName)
      .getRange(row, min, 1, max - min + 1)
      .getA1Notation(),
  );
  const result = h.edit(sheetName, a1, [current], user);
  if (result.blocked) throw new Error(`${user} may not paste ${a1}: ${result.reason}`);
  return result;
}

/** Puts a record into a sheet without any edit event, as a registry synced or imported from elsewhere would hold it. */
export function plantRecord(h: Harness, sheetName: string, row: number, record: Record<string, unknown>): void {
  h.log.quiet(() => {
    const sheet = h.sheet(sheetName);
    for (const [header, value] of Object.entries(record)) sheet.getRange(row, h.headerCol(sheetName, header)).setValue(value);
  });
}

/** Types each field into its cell, one edit at a time, as a person filling in a row would. */
export function typeRecord(h: Harness, sheetName: string, row: number, record: Record<string, unknown>, user: string): void {
  for (const [header, value] of Object.entries(record)) {
    const a1 = h.log.quiet(() => h.cell(sheetName, row, header).getA1Notation());
    const result = h.edit(sheetName, a1, [[value]], user);
    if (result.blocked) throw new Error(`${user} may not type into ${header}: ${result.reason}`);
  }
}

export function setSetting(h: Harness, group: string, item: string, value: string): void {
  const rows = h.records('设置');
  const i = rows.findIndex((r) => r['分组'] === group && r['设置项'] === item);
  if (i < 0) throw new Error(`no setting ${group}/${item}`);
  const a1 = h.log.quiet(() => h.cell('设置', i + 2, '值').getA1Notation());
  const result = h.edit('设置', a1, [[value]], OWNER);
  if (result.blocked) throw new Error(result.reason);
}

export function registry(options: HarnessOptions & { approvers?: boolean } = {}): Harness {
  const h = new Harness({ owner: OWNER, ...options });
  h.as(OWNER);
  h.open();
  h.click('初始化/修复登记表');
  h.click('安装触发器');
  if (options.approvers !== false) {
    for (const d of REVIEW_DEPARTMENT_NAMES) setSetting(h, '审查人', d, APPROVERS[d]);
  }
  setSetting(h, '合作交流处', '工作人员邮箱', OFFICE);
  // Protections follow 设置: run 修复 again now that approvers are listed.
  h.click('初始化/修复登记表');
  pasteRecord(
    h,
    '合作单位',
    2,
    {
      单位编号: 'P0001',
      单位名称: '肇庆市精工数控有限公司',
      单位类型: '企业',
      统一社会信用代码: CREDIT_CODE,
      联系人: '李经理',
      联系电话: '13800138000',
      诚信状况: '良好',
    },
    OWNER,
  );
  h.app.ui.alerts.length = 0;
  h.ss.toasts.length = 0;
  return h;
}

export const PROJECT_FIELDS = {
  项目名称: '数控专业订单班',
  承办系部: '数控技术应用专业教学团队',
  合作单位编号: 'P0001',
  合作类别: '订单式人才培养',
  合作内容及双方权责: '共同培养数控技术人才，企业提供实习岗位与兼职教师，学校负责教学组织。',
  开始日期: '2026-12-01',
  结束日期: '2029-11-30',
  成果权属: '双方共有',
  '预计收入（元）': 10000,
  '预计支出（元）': 0,
  项目负责人: '张老师',
};

/** The office registers a project (menu), staff fill it in (paste), the office submits it (menu). Returns its row. */
export function submittedProject(h: Harness, fields: Record<string, unknown> = {}): number {
  h.as(OFFICE);
  h.click('新建合作项目');
  const row = h.records('合作项目').length + 1;
  typeRecord(h, '合作项目', row, { ...PROJECT_FIELDS, ...fields }, STAFF);
  h.select('合作项目', row);
  const out = h.click('提交审查');
  if (!out.join('').includes('待审查')) throw new Error(`submit failed: ${out.join('\n')}`);
  h.as(OWNER);
  return row;
}

export function tick(h: Harness, row: number, department: ReviewDepartment, user: string, value = true) {
  const a1 = h.log.quiet(() => h.cell('合作项目', row, department).getA1Notation());
  return h.edit('合作项目', a1, [[value]], user);
}

/** Many projects at once, written in one quiet batch (a big registry synced in), two in ten broken. */
export function plantProjects(h: Harness, count: number): void {
  h.log.quiet(() => {
    const sheet = h.sheet('合作项目');
    const width = sheet.getLastColumn();
    if (count + 1 > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), count + 1 - sheet.getMaxRows());
    const header = sheet.getRange(1, 1, 1, width).getValues()[0]!;
    const grid = Array.from({ length: count }, (_, i) => {
      const record: Record<string, unknown> = {
        ...PROJECT_FIELDS,
        项目编号: `HZ2025-${String(i + 1).padStart(4, '0')}`,
        合作单位名称: '肇庆市精工数控有限公司',
        状态: '草稿',
        ...(i % 10 === 9 ? { 结束日期: '2020-01-01' } : i % 10 === 8 ? { 成果权属: '' } : {}),
      };
      return header.map((h) => (record[String(h)] ?? '') as unknown);
    });
    sheet.getRange(2, 1, count, width).setValues(grid);
  });
}

/**
 * Appends entries to 审批记录 as the system writes them — sealed into the hash chain and anchored in the script's
 * properties — for tests that need a history (only a verified log decides a status, so typed 状态 would not do).
 */
export function plantLog(h: Harness, entries: Partial<Record<keyof ReviewLogRow, string | null>>[]): void {
  const logSheet = reviewLogSheet.name;
  const existing = h.records(logSheet).filter((r) => Object.values(r).some((v) => v !== '' && v !== null));
  const byKey = (r: Record<string, unknown>) => ({
    cells: Object.fromEntries(reviewLogSheet.columns.map((c) => [c.key, r[c.header] === '' ? null : (r[c.header] ?? null)])) as RawCells,
  });
  const log = existing.map(byKey);
  const full = entries.map(
    (e) => Object.fromEntries(reviewLogSheet.columns.map((c) => [c.key, (e as Record<string, unknown>)[c.key] ?? null])) as unknown as ReviewLogRow,
  );
  const sealed = appendLogEntries(log, full);
  sealed.forEach((row, i) => {
    const record = Object.fromEntries(reviewLogSheet.columns.map((c) => [c.header, (row as Record<string, unknown>)[c.key] ?? '']));
    plantRecord(h, logSheet, existing.length + 2 + i, record);
  });
  h.scriptProperties.setProperty(ANCHOR_PROPERTY, JSON.stringify(anchorOf(log)));
}

/** A 提交 by the office for each of the first `count` projects plantProjects planted (HZ2025-0001 …), at `time`. */
export function submissionEntries(count: number, time: string): Partial<Record<keyof ReviewLogRow, string>>[] {
  return Array.from({ length: count }, (_, i) => ({
    time,
    projectId: `HZ2025-${String(i + 1).padStart(4, '0')}`,
    body: '合作交流处',
    actor: OFFICE,
    action: '提交',
    fromStatus: '草稿',
    toStatus: '待审查',
  }));
}

/** 提交 entries in 审批记录 for the first `count` projects plantProjects planted, as the system writes them: sealed, anchored, one batch. */
export function plantSubmissions(h: Harness, count: number): void {
  const entries = submissionEntries(count, '2025-11-01 09:00:00').map(
    (entry) => Object.fromEntries(reviewLogSheet.columns.map((c) => [c.key, entry[c.key as keyof ReviewLogRow] ?? null])) as unknown as ReviewLogRow,
  );
  const sealed = appendLogEntries([], entries);
  h.log.quiet(() => {
    const sheet = h.sheet(reviewLogSheet.name);
    if (count + 1 > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), count + 1 - sheet.getMaxRows());
    sheet.getRange(2, 1, count, reviewLogSheet.columns.length).setValues(sealed.map((e) => reviewLogSheet.columns.map((c) => (e as never)[c.key] ?? '')));
  });
  h.scriptProperties.setProperty(ANCHOR_PROPERTY, JSON.stringify(anchorOf(sealed.map((cells) => ({ cells: cells as never })))));
}
