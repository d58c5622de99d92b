// The hash chain on the shared sheet: the built bundle seals 审批记录 exactly as the CLI does, and a forged row
// typed into the sheet is named by 校验全部 and stops the workflow menu actions.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkHash, sha256Hex } from '../../core/index.js';
import { ANCHOR_PROPERTY } from '../../apps-script/src/log.js';
import { APPROVERS, FORGED_APPROVAL, OFFICE, plantRecord, registry, submittedProject, tick } from './fixture.js';
import { REVIEW_DEPARTMENT_NAMES, reviewLogSheet } from '../../core/index.js';

const KEYS = reviewLogSheet.columns.map((c) => [c.header, c.key] as const);
const asCells = (record: Record<string, unknown>) => Object.fromEntries(KEYS.map(([header, key]) => [key, record[header] === '' ? null : record[header]]));

describe('审批记录 hash chain in Apps Script', () => {
  it('seals each row with the same SHA-256 chain the CLI computes, and anchors it in script properties', () => {
    const h = registry();
    const row = submittedProject(h);
    tick(h, row, '教务处', APPROVERS['教务处']);
    const log = h.records('审批记录');
    expect(log.map((r) => r['操作'])).toEqual(['提交', '审查通过']);
    let previous = '';
    for (const record of log) {
      const cells = asCells(record) as Record<string, unknown>;
      // Timestamps come back from the sheet as text here: the same string the chain was computed over.
      const node = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
      expect(record['校验值']).toBe(linkHash(previous, cells, node));
      expect(record['校验值']).toBe(linkHash(previous, cells, sha256Hex));
      previous = String(record['校验值']);
    }
    // Ticks append without reading the sheet: the anchor moves, but vouches only for what a full read verified.
    expect(JSON.parse(h.scriptProperties.getProperty(ANCHOR_PROPERTY)!)).toMatchObject({ count: 2, head: previous });
  });

  it('a forged 会议通过 row typed into the sheet is named by 校验全部 and stops 记录会议审议 and 登记签署', () => {
    const h = registry();
    const row = submittedProject(h);
    for (const d of REVIEW_DEPARTMENT_NAMES) tick(h, row, d, APPROVERS[d]);
    const logRow = h.records('审批记录').length + 2;
    plantRecord(h, '审批记录', logRow, FORGED_APPROVAL);
    // A 状态 typed to match does not help either.
    plantRecord(h, '合作项目', row, { 状态: '已批准' });

    const report = h.as(OFFICE).click('校验全部').join('\n');
    expect(report).toContain(`「审批记录」第 ${logRow} 行没有校验值`);
    expect(report).toContain('「状态」填的是「已批准」，审批记录记载的是「待审议」');

    const before = h.records('审批记录').length;
    h.select('合作项目', row);
    const sign = h.click('登记签署', { button: 'OK', text: '2026-11-24' }).join('\n');
    expect(sign).toContain('审批操作暂停');
    expect(sign).toContain(`第 ${logRow} 行没有校验值`);
    const meeting = h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '校办〔2026〕12号' }).join('\n');
    expect(meeting).toContain('审批操作暂停');
    expect(h.records('审批记录')).toHaveLength(before);
    expect(h.records('合作项目')[row - 2]!['校长办公会']).not.toBe(true);
  });

  it('a hand-typed 状态 does not move a project in the menu actions: the log decides', () => {
    const h = registry();
    const row = submittedProject(h);
    plantRecord(h, '合作项目', row, { 状态: '已批准' });
    h.as(OFFICE).select('合作项目', row);
    const sign = h.click('登记签署', { button: 'OK', text: '2026-11-24' }).join('\n');
    expect(sign).toContain('当前状态为「待审查」');
  });
});
