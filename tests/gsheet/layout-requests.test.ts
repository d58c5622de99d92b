// The Sheets API layout requests, derived from the core schema and core/layout.ts: what each column gets and who may edit it.
import type { sheets_v4 } from '@googleapis/sheets';
import { describe, expect, it } from 'vitest';
import { REGISTRY_SHEETS, columnOf, headersOf, projectsSheet } from '../../core/index.js';
import { setupPlan, type ExistingSheet } from '../../sync/src/gsheet/layout-requests.js';
import { columnLetters } from '../../sync/src/gsheet/cells.js';
import { demoSettings } from '../core/fixtures.js';

type Request = sheets_v4.Schema$Request;

const settings = demoSettings();
const empty = setupPlan(new Map(), settings);
const projectsId = empty.requests.find((r) => r.addSheet?.properties?.title === '合作项目')!.addSheet!.properties!.sheetId!;
const at = (header: string) => headersOf(projectsSheet).indexOf(header);
const onColumn = (requests: Request[], sheetId: number, col: number) =>
  requests.filter((r) => {
    const range = r.setDataValidation?.range ?? r.repeatCell?.range ?? r.addProtectedRange?.protectedRange?.range;
    return range?.sheetId === sheetId && range.startColumnIndex === col;
  });

describe('setup requests', () => {
  it('adds every sheet with a frozen header row, wide enough for its columns', () => {
    const added = empty.requests.filter((r) => r.addSheet).map((r) => r.addSheet!.properties!);
    expect(added.map((p) => p.title)).toEqual(REGISTRY_SHEETS.map((s) => s.name));
    for (const p of added) expect(p.gridProperties!.frozenRowCount).toBe(1);
    expect(added.find((p) => p.title === '合作项目')!.gridProperties!.columnCount).toBeGreaterThanOrEqual(projectsSheet.columns.length);
    expect(empty.values.find((v) => v.range === "'合作项目'!A1")!.values).toEqual([['项目编号']]);
  });

  it('review and meeting columns are checkboxes; dropdowns come from the enums and 设置 lists; dates and money are typed', () => {
    const rule = (header: string) => onColumn(empty.requests, projectsId, at(header)).find((r) => r.setDataValidation)!.setDataValidation!.rule!;
    for (const h of ['教务处', '招就处', '校长办公会', '党委会']) expect(rule(h).condition!.type).toBe('BOOLEAN');
    expect(rule('承办系部').condition).toEqual({ type: 'ONE_OF_LIST', values: settings.departments.map((d) => ({ userEnteredValue: d })) });
    expect(rule('合作类别').condition!.values).toHaveLength(13);
    expect(rule('开始日期').condition!.type).toBe('DATE_BETWEEN');
    expect(rule('预计收入（元）').condition).toEqual({ type: 'NUMBER_GREATER_THAN_EQ', values: [{ userEnteredValue: '0' }] });
    // Strictness from core/layout.ts, as the Apps Script setup has it: lists reject, dates and numbers warn.
    expect(rule('开始日期').strict).toBe(false);
    expect(rule('合作类别').strict).toBe(true);
    expect(rule('教务处').strict).toBe(true);
    const format = (header: string) =>
      onColumn(empty.requests, projectsId, at(header)).find((r) => r.repeatCell?.fields === 'userEnteredFormat.numberFormat')!.repeatCell!.cell!
        .userEnteredFormat!.numberFormat;
    expect(format('开始日期')).toEqual({ type: 'DATE', pattern: 'yyyy-mm-dd' });
    expect(format('预计支出（元）')).toEqual({ type: 'NUMBER', pattern: '#,##0.00' });
  });

  it('each review column for its approvers (and the office, which returns projects); status and stamps for the office; 审批记录 and 设置 protected whole', () => {
    const protection = (header: string) => onColumn(empty.requests, projectsId, at(header)).find((r) => r.addProtectedRange)?.addProtectedRange?.protectedRange;
    expect(protection('教务处')!.editors!.users).toEqual([...settings.approvers['教务处'], ...settings.officeStaff].sort());
    expect(protection('计财处')!.editors!.users).toEqual([...settings.approvers['计财处'], ...settings.officeStaff].sort());
    expect(protection('教务处')!.editors!.users).not.toContain(settings.approvers['计财处'][0]);
    expect(protection('状态')!.editors!.users).toEqual(settings.officeStaff);
    expect(protection('申请日期')!.editors!.users).toEqual(settings.officeStaff);
    expect(protection('项目名称')).toBeUndefined();
    const sheetIdOf = (title: string) => empty.requests.find((r) => r.addSheet?.properties?.title === title)!.addSheet!.properties!.sheetId;
    const whole = empty.requests.filter(
      (r) => r.addProtectedRange?.protectedRange?.range && Object.keys(r.addProtectedRange.protectedRange.range).length === 1,
    );
    expect(whole.map((r) => r.addProtectedRange!.protectedRange!.range!.sheetId).sort()).toEqual([sheetIdOf('审批记录'), sheetIdOf('设置')].sort());
  });

  it('on an existing sheet: finds columns where users moved them, appends only missing headers, keeps protections that are right and replaces stale ones', () => {
    const moved = [...headersOf(projectsSheet)].reverse().filter((h) => h !== '审查意见');
    moved.splice(3, 0, '我的备注');
    const existing = new Map<string, ExistingSheet>();
    REGISTRY_SHEETS.forEach((s, i) => {
      const properties = { sheetId: i + 10, title: s.name, gridProperties: { rowCount: 1000, columnCount: 26 } };
      existing.set(s.name, { properties, protectedRanges: [], headerRow: s.key === 'projects' ? moved : headersOf(s), hasData: true });
    });
    const plan = setupPlan(existing, settings);
    expect(plan.addedSheets).toEqual([]);
    expect(plan.addedHeaders).toEqual(['合作项目.审查意见']);
    // The schema's columns less one, plus the office's own, stand there; the missing one goes right after them.
    const standing = projectsSheet.columns.length;
    expect(moved).toHaveLength(standing);
    expect(plan.values).toEqual([{ range: `'合作项目'!${columnLetters(standing)}1`, values: [['审查意见']] }]);
    expect(plan.requests.find((r) => r.updateSheetProperties?.properties?.sheetId === 11)!.updateSheetProperties!.properties!.gridProperties!.columnCount).toBe(
      standing + 1,
    );
    const statusCol = moved.indexOf('状态');
    expect(onColumn(plan.requests, 11, statusCol).some((r) => r.addProtectedRange)).toBe(true);
    // Feed the plan's protections back as existing, plus one stale protection of ours and one of the office's own.
    const projects = existing.get('合作项目')!;
    const ours = plan.requests.filter((r) => r.addProtectedRange).map((r, i) => ({ ...r.addProtectedRange!.protectedRange!, protectedRangeId: i + 1 }));
    for (const p of ours)
      existing.get([...existing.values()].find((s) => s.properties.sheetId === p.range!.sheetId)!.properties.title!)!.protectedRanges.push(p);
    projects.protectedRanges.push({
      protectedRangeId: 900,
      description: 'coop：合作项目·旧列（仅合作交流处（及表格所有者）可编辑）',
      range: { sheetId: 11, startColumnIndex: 30, endColumnIndex: 31 },
    });
    projects.protectedRanges.push({ protectedRangeId: 901, description: '办公室自己的保护', range: { sheetId: 11 } });
    projects.headerRow = [...moved, '审查意见'];
    const again = setupPlan(existing, settings);
    expect(again.requests.filter((r) => r.addProtectedRange)).toEqual([]);
    expect(again.requests.filter((r) => r.deleteProtectedRange)).toEqual([{ deleteProtectedRange: { protectedRangeId: 900 } }]);
    expect(again.values).toEqual([]);
    expect(columnOf(projectsSheet, 'reviewRemarks').header).toBe('审查意见');
  });
});
