// 初始化/修复登记表 on the fake spreadsheet: sheets and headers from the core schema, validations, protections,
// conditional formats; running it twice changes nothing, data and user-added columns survive.
import { describe, expect, it } from 'vitest';
import { REGISTRY_SHEETS, REVIEW_DEPARTMENT_NAMES, headersOf, projectsSheet } from '../../core/index.js';
import { Harness } from './fake/harness.js';
import { APPROVERS, OFFICE, OWNER, STAFF, registry, pasteRecord, submittedProject, tick } from './fixture.js';

describe('初始化/修复登记表', () => {
  it('opens with the 合作交流 menu', () => {
    const h = new Harness();
    h.open();
    expect(h.app.ui.menus.map((m) => m.title)).toEqual(['合作交流']);
    expect(h.menuItems().get('年度评价 ▸ 发送提醒')).toBe('menuEvaluationsRemind');
  });

  it('creates every sheet of the schema with its headers, frozen, in the school time zone', () => {
    const h = new Harness();
    h.open();
    h.click('初始化/修复登记表');
    for (const spec of REGISTRY_SHEETS) {
      const sheet = h.sheet(spec.name);
      expect(h.log.quiet(() => sheet.getRange(1, 1, 1, spec.columns.length).getValues()[0])).toEqual(headersOf(spec));
      expect(sheet.frozenRows).toBe(1);
    }
    expect(h.ss.timeZone).toBe('Asia/Shanghai');
    expect(h.records('设置').find((r) => r['设置项'] === '学校名称')?.['值']).toBe('肇庆理工中等职业学校');
  });

  it('sets dropdowns from 设置, dates, numbers and checkboxes on review and meeting columns', () => {
    const h = registry();
    const rule = (header: string) => h.log.quiet(() => h.cell('合作项目', 5, header).getDataValidation());
    expect(rule('承办系部')?.getCriteriaValues()[0]).toContain('数控技术应用专业教学团队');
    expect(rule('合作类别')?.getCriteriaType()).toBe('VALUE_IN_LIST');
    // A date between 1990 and 2100 (core/layout.ts DATE_RANGE), as the API setup's DATE_BETWEEN — no longer any valid date.
    expect(rule('开始日期')?.getCriteriaType()).toBe('DATE_BETWEEN');
    expect(rule('预计收入（元）')?.getCriteriaType()).toBe('NUMBER_GREATER_THAN_OR_EQUAL_TO');
    for (const c of projectsSheet.columns.filter((c) => c.type === 'checkbox')) expect(rule(c.header)?.getCriteriaType(), c.header).toBe('CHECKBOX');
    expect(rule('项目名称')).toBeNull();
  });

  it('protects status and 审批记录 for the owner and office, each review column for its own approvers (and the office, which returns projects)', () => {
    const h = registry();
    const projects = h.sheet('合作项目');
    const protection = (header: string) => projects.protections.find((p) => p.description === `coop：合作项目·${header}`)!;
    expect([...protection('状态').editors].sort()).toEqual([OFFICE, OWNER].sort());
    expect([...protection('教务处').editors].sort()).toEqual([APPROVERS['教务处'], OFFICE, OWNER].sort());
    expect(protection('状态').domainEdit).toBe(false);
    expect(h.sheet('审批记录').protections[0]!.type).toBe('SHEET');
    // Sheets itself stops a stranger: the tick never reaches the script.
    expect(tick(h, 2, '教务处', STAFF).blocked).toBe(true);
    expect(tick(h, 2, '计财处', APPROVERS['教务处']).blocked).toBe(true);
  });

  it('colours statuses and overdue agreements with its own rules, keeping the office’s', () => {
    const h = registry();
    const rules = h.sheet('合作项目').cfRules;
    expect(rules.filter((r) => r.condition.formula.includes('N("coop")'))).toHaveLength(11);
    expect(rules.some((r) => r.condition.formula.includes('TODAY()'))).toBe(true);
  });

  it('changes nothing when run twice, never touches data, keeps user-added columns where they are', () => {
    const h = registry();
    h.as(OWNER);
    // The office adds a column of its own after the schema's, and a project exists.
    const projects = h.sheet('合作项目');
    const own = projectsSheet.columns.length + 1;
    h.log.quiet(() => projects.insertColumnsAfter(projects.maxCols, 1));
    h.log.quiet(() => projects.getRange(1, own).setValue('内部备注'));
    h.log.quiet(() => projects.getRange(2, own).setValue('领导关注'));
    pasteRecord(h, '合作项目', 2, { 项目编号: 'HZ2026-001', 项目名称: '订单班', 状态: '草稿' }, OWNER);
    h.click('初始化/修复登记表');
    const first = h.snapshot();
    h.log.reset();
    h.click('初始化/修复登记表');
    expect(h.snapshot()).toBe(first);
    // Not even a rewrite of the same values: everything is read and found right.
    expect(h.log.writes()).toEqual([]);
    expect(h.records('合作项目')[0]).toMatchObject({ 项目编号: 'HZ2026-001', 项目名称: '订单班', 内部备注: '领导关注' });
  });

  it('repairs a sheet whose schema column was deleted by appending it, leaving other columns in place', () => {
    const h = new Harness();
    h.open();
    const sheet = h.log.quiet(() => h.ss.insertSheet('合作单位'));
    h.log.quiet(() => sheet.getRange(1, 1, 1, 3).setValues([['单位名称', '我的列', '单位编号']]));
    h.click('初始化/修复登记表');
    const header = h.log.quiet(() => sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0]);
    expect(header!.slice(0, 3)).toEqual(['单位名称', '我的列', '单位编号']);
    expect(new Set(header!)).toEqual(new Set(['我的列', ...headersOf(REGISTRY_SHEETS[0])]));
  });

  it('makes a number of service calls that grows with columns, not rows', () => {
    const small = registry();
    small.log.reset();
    small.click('初始化/修复登记表');
    const few = small.log.count();
    const big = registry();
    big.log.quiet(() => big.sheet('合作项目').insertRowsAfter(1000, 4000));
    big.click('初始化/修复登记表');
    big.log.reset();
    big.click('初始化/修复登记表');
    expect(big.log.count()).toBe(few);
  });
});

describe('初始化 and the rest of issue 12', () => {
  it('设置 is plain text: the default 12-01 stays 12-01 (Sheets would make it a date)', () => {
    const h = new Harness();
    h.open();
    h.click('初始化/修复登记表');
    const values = h.records('设置').map((r) => r['值']);
    expect(values).toContain('12-01');
    expect(values.some((v) => v instanceof Date)).toBe(false);
    const col = h.headerCol('设置', '值');
    expect(h.log.quiet(() => h.sheet('设置').getRange(2, col).getNumberFormats()[0]![0])).toBe('@');
  });

  // The log's hash chain costs the tick no read: the anchor and the logged-state cache in the script's properties
  // say where the chain ends and what the log records (issue 11 brought this back from 11 to 10).
  it('stores the spreadsheet URL at 初始化, so the tick that completes a review stays within 10 calls', () => {
    const h = registry();
    expect(h.documentProperties.getProperty('coop.url')).toBeTruthy();
    const row = submittedProject(h);
    const departments = REVIEW_DEPARTMENT_NAMES;
    for (const d of departments.slice(0, -1)) tick(h, row, d, APPROVERS[d]);
    h.log.reset();
    tick(h, row, departments.at(-1)!, APPROVERS[departments.at(-1)!]);
    expect(h.records('合作项目')[row - 2]!['状态']).toBe('待审议');
    expect(h.log.count()).toBeLessThanOrEqual(10);
  });

  it('protections made by an earlier setup (coop: marker) are renamed to the shared marker, not piled up', () => {
    const h = registry();
    const projects = h.sheet('合作项目');
    const before = projects.protections.length;
    h.log.quiet(() => {
      for (const p of projects.protections) p.setDescription(p.description.replace('coop：', 'coop:').replace('·', ':'));
    });
    h.as(OWNER).click('初始化/修复登记表');
    expect(projects.protections).toHaveLength(before);
    expect(projects.protections.every((p) => p.description.startsWith('coop：合作项目·'))).toBe(true);
  });
});
