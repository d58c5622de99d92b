// Many people on one sheet: triggers installed once whoever clicks 安装触发器 (Google lists each user only their own),
// and personal Google accounts, whose e-mail a trigger is never given: such a tick is undone, and the review is
// made from the menu, which runs under the approver's own authorization.
import { describe, expect, it } from 'vitest';
import { reviewStampNote } from '../../core/index.js';
import { APPROVERS, OFFICE, OWNER, registry, submittedProject, tick } from './fixture.js';

const logRows = (h: ReturnType<typeof registry>) => h.records('审批记录');
const status = (h: ReturnType<typeof registry>, row: number) => h.records('合作项目')[row - 2]!['状态'];

describe('installing triggers', () => {
  it('the office clicking 安装触发器 after the owner adds no second set; a tick is logged once', () => {
    const h = registry();
    expect(h.scriptApp.triggers.map((t) => [t.handler, t.owner])).toEqual([
      ['handleSheetEdit', OWNER],
      ['dailyReminders', OWNER],
      ['recordMenuApprovals', OWNER],
      ['openAssistant', OWNER],
    ]);
    // Google shows the office none of the owner's triggers.
    h.env.effective = OFFICE;
    expect(h.scriptApp.getProjectTriggers()).toEqual([]);
    h.env.effective = undefined;
    const alerts = h.as(OFFICE).click('安装触发器');
    expect(alerts.join('')).toContain(`触发器已由 ${OWNER} 安装`);
    expect(h.scriptApp.triggers).toHaveLength(4);
    h.as(OWNER).click('安装触发器');
    expect(h.scriptApp.triggers).toHaveLength(4);

    const row = submittedProject(h);
    const before = logRows(h).length;
    tick(h, row, '教务处', APPROVERS['教务处']);
    expect(
      logRows(h)
        .slice(before)
        .filter((r) => r['操作'] === '审查通过'),
    ).toHaveLength(1);
  });

  it('a duplicate trigger someone installed earlier stays silent: handlers act only for the recorded trigger', () => {
    const h = registry();
    // What the old 安装触发器 did when the office clicked it: a second edit trigger under the office's account.
    h.env.effective = OFFICE;
    h.scriptApp.newTrigger('handleSheetEdit').forSpreadsheet().onEdit().create();
    h.env.effective = undefined;
    expect(h.scriptApp.triggers.filter((t) => t.handler === 'handleSheetEdit')).toHaveLength(2);
    const row = submittedProject(h);
    const before = logRows(h).length;
    tick(h, row, '教务处', APPROVERS['教务处']);
    expect(logRows(h).slice(before)).toHaveLength(1);
  });

  it('the owner may take the set over: the old installer’s triggers then fall silent', () => {
    const h = registry();
    // Someone else's set recorded first (e.g. the office installed while the owner was away).
    h.env.effective = OWNER;
    for (const t of h.scriptApp.getProjectTriggers()) h.scriptApp.deleteTrigger(t);
    h.env.effective = undefined;
    h.scriptProperties.deleteProperty('coop.triggers');
    h.as(OFFICE).click('安装触发器');
    expect(h.scriptApp.triggers.every((t) => t.owner === OFFICE)).toBe(true);
    h.as(OWNER).click('安装触发器');
    expect(h.scriptApp.triggers).toHaveLength(8);
    const row = submittedProject(h);
    const before = logRows(h).length;
    tick(h, row, '教务处', APPROVERS['教务处']);
    expect(logRows(h).slice(before)).toHaveLength(1);
  });
});

describe('personal Google accounts: the trigger is not told who ticked', () => {
  it('a tick without the editor’s e-mail is undone with a toast pointing to the menu, and not logged', () => {
    const h = registry({ personalAccounts: true });
    const row = submittedProject(h);
    const before = logRows(h).length;
    expect(tick(h, row, '教务处', APPROVERS['教务处']).blocked).toBe(false);
    expect(h.log.quiet(() => h.cell('合作项目', row, '教务处').getValue())).toBe(false);
    expect(h.log.quiet(() => h.cell('合作项目', row, '教务处').getNote())).toBe('');
    expect(status(h, row)).toBe('待审查');
    expect(h.ss.toasts.at(-1)).toContain('合作交流 ▸ 本部门审查通过 / 本部门退回');
    expect(logRows(h)).toHaveLength(before);
  });

  it('本部门审查通过 from the menu records the approver’s own e-mail, once the owner’s minute trigger runs', () => {
    const h = registry({ personalAccounts: true });
    const row = submittedProject(h);
    tick(h, row, '教务处', APPROVERS['教务处']);
    h.as(APPROVERS['教务处']);
    h.select('合作项目', row);
    const alerts = h.click('本部门审查通过');
    expect(alerts.join('')).toContain('约 1 分钟内');
    // Nothing written under the approver's authorization (状态 and 审批记录 are the office's).
    expect(status(h, row)).toBe('待审查');
    h.as(OWNER).runClock(/minute/);
    expect(status(h, row)).toBe('审查中');
    expect(h.log.quiet(() => h.cell('合作项目', row, '教务处').getValue())).toBe(true);
    // The very stamp the CLI writes beside a tick it records (core's reviewStampNote).
    expect(h.log.quiet(() => h.cell('合作项目', row, '教务处').getNote())).toBe(reviewStampNote('教务处', APPROVERS['教务处'], '2026-11-24 10:00:00'));
    expect(logRows(h).at(-1)).toMatchObject({ 操作: '审查通过', 操作人: APPROVERS['教务处'], 部门或机构: '教务处' });
    // The queue is empty: a second run records nothing more.
    const count = logRows(h).length;
    h.runClock(/minute/);
    expect(logRows(h)).toHaveLength(count);
  });

  it('本部门退回 from the menu returns the project with the approver as the actor', () => {
    const h = registry({ personalAccounts: true });
    const row = submittedProject(h);
    h.as(APPROVERS['计财处']);
    h.select('合作项目', row);
    h.click('本部门退回', { button: 'OK', text: '预算不清楚' });
    h.as(OWNER).runClock(/minute/);
    expect(status(h, row)).toBe('草稿');
    expect(logRows(h).at(-1)).toMatchObject({ 操作: '退回', 操作人: APPROVERS['计财处'] });
  });

  it('someone who is no approver hears so at once, and nothing is queued', () => {
    const h = registry({ personalAccounts: true });
    const row = submittedProject(h);
    h.as('visitor@example.com');
    h.select('合作项目', row);
    expect(h.click('本部门审查通过').join('')).toContain('不在「设置 › 审查人」中');
    expect(Object.keys(h.scriptProperties.getProperties()).filter((k) => k.startsWith('coop.intent.'))).toEqual([]);
  });

  it('approveAsCurrentUser is a plain server function a sidebar can call', () => {
    const h = registry({ personalAccounts: true });
    const row = submittedProject(h);
    h.as(APPROVERS['招就处']);
    expect(String(h.run('approveAsCurrentUser', 'hz2026-001'))).toContain('HZ2026-001');
    h.as(OWNER).runClock(/minute/);
    expect(h.log.quiet(() => h.cell('合作项目', row, '招就处').getValue())).toBe(true);
  });
});
